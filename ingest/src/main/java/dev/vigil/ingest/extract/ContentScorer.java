package dev.vigil.ingest.extract;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Element;

/**
 * The second phase: Readability's content scoring. Every paragraph's score (commas and length)
 * goes to its ancestors; each ancestor starts from its tag and its class's hints and is scaled
 * down by its share of link text; the best one, refined, is the article's container, and the
 * siblings that read like it join it.
 */
final class ContentScorer {

    private static final Hints POSITIVE = new Hints("article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "pagination", "post",
            "text", "blog", "story", "paragraph", "prose");
    private static final Hints NEGATIVE = new Hints("-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footer", "footnote",
            "gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
            "shopping", "tags", "tool", "widget", "caption", "credit", "byline", "newsletter", "subscribe", "recirc", "popular", "trending");

    private ContentScorer() {
    }

    /** The article's parts: the best-scoring container and the siblings that read like it, in page order. */
    static List<Element> parts(Element body, PageStats stats, Pass pass) {
        Map<Element, Double> scores = score(body, pass);
        scores.replaceAll((e, s) -> s * (1 - stats.linkDensity(e)));
        List<Map.Entry<Element, Double>> ranked = new ArrayList<>(scores.entrySet());
        ranked.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        Element top = ranked.isEmpty() ? body : ranked.get(0).getKey();
        double best = ranked.isEmpty() ? 0 : ranked.get(0).getValue();
        top = refine(top, best, ranked, scores, body);
        top = wholeArticle(top, body, stats);
        best = scores.getOrDefault(top, best);
        return withSiblings(top, best, scores, stats);
    }

    /**
     * An article split into blocks (sections under their own headings, rows of a page builder,
     * paragraphs between ads and figures) scores block by block, and the best block is only part of
     * it. The ancestor, a few levels up, whose extra text is mostly prose and hardly links is the
     * article: it holds a good deal more prose than the block.
     */
    private static Element wholeArticle(Element top, Element body, PageStats stats) {
        Element best = top;
        int prose = stats.get(top, PageStats.PROSE);
        int levels = 0;
        for (Element a = top.parent(); a != null && a != body && levels < 4; a = a.parent(), levels++) {
            int moreText = stats.get(a, PageStats.TEXT) - stats.get(best, PageStats.TEXT);
            int moreProse = stats.get(a, PageStats.PROSE) - stats.get(best, PageStats.PROSE);
            int moreLinks = stats.get(a, PageStats.LINK) - stats.get(best, PageStats.LINK);
            if (moreText <= 0) {
                continue;     // a wrapper adding nothing
            }
            boolean prosy = moreProse >= 0.6 * moreText && moreLinks <= 0.15 * moreText;
            boolean heading = moreText < 150 && moreLinks <= 0.5 * moreText;    // a section's heading, a caption: the climb goes on
            if (!prosy && !heading) {
                break;
            }
            if (stats.get(a, PageStats.PROSE) >= 1.3 * prose) {
                best = a;
            }
        }
        return best;
    }

    /** Readability's scoring: each paragraph's score goes to its parent, half to the grandparent, a third further up. */
    private static Map<Element, Double> score(Element body, Pass pass) {
        Map<Element, Double> scores = new IdentityHashMap<>();
        for (Element p : paragraphs(body)) {
            String text = PageStats.hasBlockChild(p) && !p.normalName().equals("td") && !p.normalName().equals("blockquote") ? p.ownText() : p.text();
            if (text.length() < 25) {
                continue;
            }
            double s = 1 + PageStats.commas(text) + Math.min(text.length() / 100, 3);
            Element ancestor = p.parent();
            for (int level = 0; ancestor != null && level < 5; level++) {
                if (ancestor.normalName().equals("html")) {
                    break;
                }
                double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
                Element a = ancestor;
                scores.computeIfAbsent(a, e -> initialScore(e, pass));
                scores.merge(a, s / divider, Double::sum);
                ancestor = ancestor.parent();
            }
        }
        return scores;
    }

    private static List<Element> paragraphs(Element body) {
        List<Element> out = new ArrayList<>();
        for (Element e : body.getAllElements()) {
            String tag = e.normalName();
            if (tag.equals("p") || tag.equals("pre") || tag.equals("td") || tag.equals("blockquote")) {
                out.add(e);
            } else if ((tag.equals("div") || tag.equals("section") || tag.equals("article"))
                    && (!PageStats.hasBlockChild(e) || e.ownText().length() >= 25)) {
                out.add(e);    // a div used as a paragraph (text in spans and <br>s, or loose text between blocks)
            }
        }
        return out;
    }

    private static double initialScore(Element e, Pass pass) {
        double s = switch (e.normalName()) {
            case "div", "article", "section", "main" -> 5;
            case "pre", "td", "blockquote" -> 3;
            case "address", "ol", "ul", "dl", "dd", "dt", "li", "form" -> -3;
            case "h1", "h2", "h3", "h4", "h5", "h6", "th" -> -5;
            default -> 0;
        };
        if (e.normalName().equals("article") || e.attr("itemprop").equalsIgnoreCase("articleBody")) {
            s += 25;
        }
        return pass.weighClasses ? s + classWeight(e) : s;
    }

    /** -25 for a sidebar-like class or id, +25 for an article-like one (both can apply). */
    static double classWeight(Element e) {
        double w = 0;
        for (String s : new String[] {e.className(), e.id()}) {
            if (s.isEmpty()) {
                continue;
            }
            String lower = s.toLowerCase(Locale.ROOT);
            if (NEGATIVE.in(lower) || lower.equals("hid") || lower.startsWith("hid ") || lower.endsWith(" hid") || lower.contains(" hid ")) {
                w -= 25;
            }
            if (POSITIVE.in(lower)) {
                w += 25;
            }
        }
        return w;
    }

    /**
     * Readability's second look at the winner: an ancestor holding several of the runners-up is
     * the real article (paragraphs split into cards), a parent scoring higher takes over, and an
     * only child gives way to its parent.
     */
    private static Element refine(Element top, double best, List<Map.Entry<Element, Double>> ranked, Map<Element, Double> scores, Element body) {
        List<Element> close = new ArrayList<>();
        for (int i = 1; i < Math.min(5, ranked.size()); i++) {
            if (ranked.get(i).getValue() >= best * 0.75) {
                close.add(ranked.get(i).getKey());
            }
        }
        if (close.size() >= 2) {
            for (Element a = top.parent(); a != null && a != body; a = a.parent()) {
                Element ancestor = a;
                long inside = close.stream().filter(c -> c.parents().contains(ancestor)).count();
                if (inside >= 2) {
                    top = ancestor;
                    scores.putIfAbsent(top, best);
                    break;
                }
            }
        }
        double last = scores.getOrDefault(top, best);
        double threshold = last / 3;
        for (Element parent = top.parent(); parent != null && parent != body; parent = parent.parent()) {
            Double ps = scores.get(parent);
            if (ps == null) {
                continue;
            }
            if (ps < threshold) {
                break;
            }
            if (ps > last) {
                top = parent;
                break;
            }
            last = ps;
        }
        while (top.parent() != null && top.parent() != body && top.parent().children().size() == 1) {
            top = top.parent();
        }
        return top;
    }

    private static List<Element> withSiblings(Element top, double topScore, Map<Element, Double> scores, PageStats stats) {
        Element parent = top.parent();
        if (parent == null || top.normalName().equals("body")) {
            return List.of(top);
        }
        double threshold = Math.max(10, topScore * 0.2);
        List<Element> out = new ArrayList<>();
        for (Element sibling : parent.children()) {
            if (sibling == top) {
                out.add(sibling);
                continue;
            }
            double bonus = !top.className().isEmpty() && top.className().equals(sibling.className()) ? topScore * 0.2 : 0;
            Double s = scores.get(sibling);
            if (s != null && s + bonus >= threshold) {
                out.add(sibling);
            } else if (sibling.normalName().equals("p")) {
                String text = sibling.text();
                double ld = stats.linkDensity(sibling);
                if ((text.length() > 80 && ld < 0.25) || (text.length() > 0 && text.length() <= 80 && ld == 0 && text.matches("(?s).*[.!?]\\s*$"))) {
                    out.add(sibling);
                }
            }
        }
        return out;
    }
}

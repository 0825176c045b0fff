package dev.vigil.ingest.extract;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Finds the running text of an article, in the spirit of Mozilla's Readability: drop what is
 * never article text, score every block of prose (commas and length, less the share of link
 * text, more for an article-like class, less for a sidebar-like one) into its ancestors, take the
 * best-scoring container with the siblings that read like it, clean it of link lists and
 * boilerplate, and write it out block by block.
 */
final class BodyFinder {

    private static final String NEVER_TEXT = "script, style, noscript, template, iframe, svg, canvas, object, embed, video, audio, "
            + "nav, aside, footer, header, button, input, select, textarea, label, figure, figcaption, picture, "
            + "[hidden], [aria-hidden=true], [role=navigation], [role=banner], [role=contentinfo], [role=complementary], "
            + "[role=dialog], [role=alertdialog], [role=search], [itemprop=comment]";
    private static final Pattern UNLIKELY = Pattern.compile("-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|"
            + "footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|"
            + "ad-break|agegate|pagination|pager|popup|yom-remote|share|newsletter|subscribe|promo|cookie|consent|outbrain|taboola|"
            + "recirc|most-?popular|trending|signup|paywall|byline|author-?bio|tags|toolbar|masthead|topbar|navbar|read-?more|caption|"
            + "credit|hidden|modal|overlay|widget", Pattern.CASE_INSENSITIVE);
    private static final Pattern MAYBE = Pattern.compile("and|article|body|column|content|main|shadow|story|text|entry|post", Pattern.CASE_INSENSITIVE);
    private static final Pattern POSITIVE = Pattern.compile("article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|paragraph|prose",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NEGATIVE = Pattern.compile("-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|"
            + "gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|"
            + "caption|credit|byline|newsletter|subscribe|recirc|popular|trending", Pattern.CASE_INSENSITIVE);
    private static final Pattern COMMAS = Pattern.compile("[,،﹐︐︑⹁⸴⸲，、]");
    private static final Pattern BOILERPLATE = Pattern.compile("(?i)^(advertisement|advertisment|anzeige|publicidad|publicité|"
            + "continue reading( the main story)?|supported by|read more|read next|related( articles| stories)?:?|share( this)?( article| story)?|"
            + "sign up.*newsletter.*|click here.*|image( copyright| caption)?.*|photo:.*|getty images|reuters|ap photo.*|"
            + "this article is more than \\d+ (years?|months?) old|skip (to|advertisement).*|loading.*|follow us.*)$");
    private static final java.util.Set<String> BLOCKS = java.util.Set.of("p", "div", "section", "article", "main", "li", "ul", "ol", "dl",
            "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "br", "hr", "address", "center",
            "figure", "header", "footer", "form", "fieldset", "details", "summary", "tbody", "thead");

    private BodyFinder() {
    }

    static String text(Document doc, PageMetadata meta) {
        Element body = doc.body();
        if (body == null) {
            return "";
        }
        body.select(NEVER_TEXT).remove();
        body.select("h1").remove();    // the headline is the title, not the body
        removeUnlikely(body);
        Map<Element, Double> scores = score(body);
        Element top = body;
        double best = -1;
        for (Map.Entry<Element, Double> e : scores.entrySet()) {
            double s = e.getValue() * (1 - linkDensity(e.getKey()));
            if (s > best) {
                best = s;
                top = e.getKey();
            }
        }
        List<Element> parts = withSiblings(top, best, scores);
        StringBuilder out = new StringBuilder();
        for (Element part : parts) {
            clean(part);
            for (String line : blocks(part)) {
                if (out.length() > 0) {
                    out.append("\n\n");
                }
                out.append(line);
            }
        }
        return out.toString();
    }

    private static void removeUnlikely(Element body) {
        List<Element> doomed = new ArrayList<>();
        for (Element e : body.getAllElements()) {
            if (e == body) {
                continue;
            }
            String tag = e.normalName();
            if (tag.equals("article") || tag.equals("main") || tag.equals("a") || tag.equals("p") || tag.equals("table") || tag.equals("tbody")) {
                continue;
            }
            String cls = e.className() + " " + e.id();
            if (cls.isBlank()) {
                continue;
            }
            if (UNLIKELY.matcher(cls).find() && !MAYBE.matcher(cls).find() && e.closest("article, main, [itemprop=articleBody]") == null) {
                doomed.add(e);
            }
        }
        doomed.forEach(Element::remove);
    }

    /** Readability's scoring: each paragraph's score goes to its parent, half to the grandparent, a third further up. */
    private static Map<Element, Double> score(Element body) {
        Map<Element, Double> scores = new IdentityHashMap<>();
        for (Element p : paragraphs(body)) {
            String text = p.text();
            if (text.length() < 25) {
                continue;
            }
            double s = 1 + COMMAS.matcher(text).results().count() + Math.min(text.length() / 100, 3);
            Element ancestor = p.parent();
            for (int level = 0; ancestor != null && level < 3; level++) {
                if (ancestor.normalName().equals("html")) {
                    break;
                }
                double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
                Element a = ancestor;
                scores.computeIfAbsent(a, BodyFinder::initialScore);
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
            } else if ((tag.equals("div") || tag.equals("section") || tag.equals("span") && e.parent() != null && e.parent().normalName().equals("div"))
                    && !hasBlockChild(e) && !e.ownText().isBlank()) {
                out.add(e);    // a div used as a paragraph
            }
        }
        return out;
    }

    private static boolean hasBlockChild(Element e) {
        for (Element c : e.children()) {
            String t = c.normalName();
            if (BLOCKS.contains(t) && !t.equals("br")) {
                return true;
            }
        }
        return false;
    }

    private static double initialScore(Element e) {
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
        return s + classWeight(e);
    }

    private static double classWeight(Element e) {
        double w = 0;
        for (String s : new String[] {e.className(), e.id()}) {
            if (s.isEmpty()) {
                continue;
            }
            if (NEGATIVE.matcher(s).find()) {
                w -= 25;
            }
            if (POSITIVE.matcher(s).find()) {
                w += 25;
            }
        }
        return w;
    }

    static double linkDensity(Element e) {
        int total = e.text().length();
        if (total == 0) {
            return 0;
        }
        int links = 0;
        for (Element a : e.select("a")) {
            String href = a.attr("href");
            double coefficient = href.startsWith("#") ? 0.3 : 1;
            links += (int) (a.text().length() * coefficient);
        }
        return Math.min(1, (double) links / total);
    }

    private static List<Element> withSiblings(Element top, double topScore, Map<Element, Double> scores) {
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
                double ld = linkDensity(sibling);
                if ((text.length() > 80 && ld < 0.25) || (text.length() > 0 && text.length() <= 80 && ld == 0 && text.matches("(?s).*[.!?]\\s*$"))) {
                    out.add(sibling);
                }
            }
        }
        return out;
    }

    /** Readability's conditional cleaning: lists and boxes that read like navigation go. */
    private static void clean(Element container) {
        Elements boxes = container.select("ul, ol, div, section, table, dl");
        List<Element> doomed = new ArrayList<>();
        for (int i = boxes.size() - 1; i >= 0; i--) {
            Element box = boxes.get(i);
            if (box == container) {
                continue;
            }
            String text = box.text();
            double ld = linkDensity(box);
            double weight = classWeight(box);
            int commas = (int) COMMAS.matcher(text).results().count();
            boolean list = box.normalName().equals("ul") || box.normalName().equals("ol");
            if (weight < 0 && text.length() < 400) {
                doomed.add(box);
            } else if (commas < 10) {
                int ps = box.select("p").size();
                int lis = box.select("li").size();
                if (ld > 0.5 || (weight < 25 && ld > 0.25 && !list) || (list && ld > 0.4)) {
                    doomed.add(box);
                } else if (!list && lis > ps * 2 && lis > 5 && ld > 0.2) {
                    doomed.add(box);
                } else if (text.length() < 25 && box.select("img").size() > 0 && ps == 0) {
                    doomed.add(box);
                }
            }
        }
        doomed.forEach(Element::remove);
    }

    /** The container's text, one string per block, without boilerplate lines. */
    private static List<String> blocks(Element container) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    current.append(t.getWholeText());
                } else if (node instanceof Element e && BLOCKS.contains(e.normalName())) {
                    flush(lines, current);
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && BLOCKS.contains(e.normalName())) {
                    flush(lines, current);
                }
            }
        }, container);
        flush(lines, current);
        return lines;
    }

    private static void flush(List<String> lines, StringBuilder current) {
        String line = current.toString().replaceAll("[\\s\\u00a0]+", " ").strip();
        current.setLength(0);
        if (line.isEmpty() || BOILERPLATE.matcher(line.toLowerCase(Locale.ROOT)).matches()) {
            return;
        }
        lines.add(line);
    }
}

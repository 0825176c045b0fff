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

    /** Elements that are never article text, by tag. */
    private static final java.util.Set<String> NEVER_TEXT_TAGS = java.util.Set.of("script", "style", "noscript", "template", "iframe", "svg",
            "canvas", "object", "embed", "video", "audio", "nav", "aside", "footer", "header", "button", "input", "select", "textarea", "label",
            "figure", "figcaption", "picture", "h1");
    /** ... and by ARIA role. */
    private static final java.util.Set<String> NEVER_TEXT_ROLES = java.util.Set.of("navigation", "banner", "contentinfo", "complementary",
            "dialog", "alertdialog", "search");
    private static final Pattern HIDDEN_STYLE = Pattern.compile("(?i)(display\\s*:\\s*none|visibility\\s*:\\s*hidden)");
    // class and id hints, matched as lower-case substrings: a regex alternation of sixty words per element was most of the cost
    private static final Hints UNLIKELY = new Hints("-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus",
            "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper",
            "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote", "share", "newsletter",
            "subscribe", "promo", "cookie", "consent", "outbrain", "taboola", "recirc", "mostpopular", "most-popular", "trending", "signup",
            "paywall", "byline", "authorbio", "author-bio", "tags", "toolbar", "masthead", "topbar", "navbar", "readmore", "read-more",
            "caption", "credit", "hidden", "modal", "overlay", "widget");
    private static final Hints MAYBE = new Hints("and", "article", "body", "column", "content", "main", "shadow", "story", "text", "entry", "post");
    private static final Hints POSITIVE = new Hints("article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "pagination", "post",
            "text", "blog", "story", "paragraph", "prose");
    private static final Hints NEGATIVE = new Hints("-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footer", "footnote",
            "gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
            "shopping", "tags", "tool", "widget", "caption", "credit", "byline", "newsletter", "subscribe", "recirc", "popular", "trending");

    /** A set of words looked for inside a lower-cased class or id. */
    private record Hints(String... words) {
        boolean in(String lower) {
            for (String w : words) {
                if (lower.contains(w)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String COMMA_CHARS = ",،﹐︐︑⹁⸴⸲，、";
    private static final Pattern BOILERPLATE = Pattern.compile("(?i)^(advertisement|advertisment|anzeige|publicidad|publicité|"
            + "continue reading( the main story)?|supported by|read more|read next|related( articles| stories)?:?|share( this)?( article| story)?|"
            + "sign up.*newsletter.*|click here.*|image( copyright| caption)?.*|photo:.*|getty images|reuters|ap photo.*|"
            + "this article is more than \\d+ (years?|months?) old|skip (to|advertisement).*|loading.*|follow us.*|(see|read) more:.*|"
            + ".*\\((image|photo|picture|pic|credit)s?: [^)]*\\)|.*\\[(insight|video|reaction|pictures|poll|latest|analysis)\\]\\|?)$");
    /** Where the article ends and the page's furniture begins: "You may also like", "Tags", "2 comments"... */
    private static final Pattern STOP = Pattern.compile("(?iu)(you (may|might) also (like|enjoy)|related( posts?| articles?| stories| content| news| reading)?|"
            + "more (from|stories|on this|in)\\b.*|tags?|tagged( with| in)?|filed under|(\\d+ )?comments?|leave a (comment|reply)|post a comment|"
            + "tell us what you think.*|about the author|スポンサードリンク|関連記事|самые популярные.*|добавить отзыв|читайте также|veja também|"
            + "leia (também|mais)|lesen sie auch|mehr zum thema|à lire aussi|lire aussi|también te puede interesar|noticias relacionadas|"
            + "artículos relacionados|reply)[:.!…]*");
    /** A box inside the article ("Don't miss", "Read more"): it and the short headline lines after it go, the prose resumes. */
    private static final Pattern INTERLUDE = Pattern.compile("(?iu)(recommended( for you| stories| reading)?|read (more|next|also)|share (this|on)\\b.*|"
            + "don'?t miss|trending( now)?|(most )?popular( posts| stories| now)?|sign up\\b.*|advert(isement)?|sponsored( content| links)?)[:.!…]*");
    /** A byline or a dateline: "By Jane Doe - 11/18/19 11:04 PM", "August 23, 2018", "Updated at 1:23 p.m." */
    private static final Pattern BYLINE = Pattern.compile("(?iu)(by|por|von|par|di)\\s+\\p{Lu}[\\p{L}.'’ -]{1,60}([-|,–—].{0,40})?"
            + "|(published|updated|posted)( on| at)?\\b.{0,40}|[^.!?]{0,40}\\b(19|20)\\d\\d\\b[^.!?]{0,25}");

    /**
     * The article's lines without the furniture around it: a byline or dateline among the first
     * lines goes, and everything from a "related stories" or "comments" marker in the last part on.
     */
    static List<String> trim(List<String> lines) {
        int total = lines.stream().mapToInt(String::length).sum();
        List<String> out = new ArrayList<>();
        int seen = 0;
        boolean interlude = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (seen > total * 0.4 && line.length() < 80 && STOP.matcher(line).matches()) {
                break;
            }
            seen += line.length();
            if (line.length() < 80 && INTERLUDE.matcher(line).matches()) {
                interlude = true;
                continue;
            }
            if (interlude && line.length() < 120 && !line.matches("(?s).*[.!?\"”]$")) {
                continue;
            }
            interlude = false;
            boolean nearTop = out.size() < 3;
            if (nearTop && line.length() < 90 && BYLINE.matcher(line).matches()) {
                continue;
            }
            out.add(line);
        }
        return out;
    }

    /** Lines that are data, not prose: a bare URL, a timestamp, a number. */
    private static final Pattern DATA = Pattern.compile("https?://\\S+|\\d{4}-\\d{2}-\\d{2}([T ][\\d:.+\\-Z]+)?|[\\d.,:/ ]+");
    private static final java.util.Set<String> BLOCKS = java.util.Set.of("p", "div", "section", "article", "main", "li", "ul", "ol", "dl",
            "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "br", "hr", "address", "center",
            "figure", "header", "footer", "form", "fieldset", "details", "summary", "tbody", "thead");

    private BodyFinder() {
    }

    /**
     * Text, link-text, comma, paragraph, list-item, image and prose counts of every element,
     * computed in one bottom-up pass: asking each element for its text over and over is what
     * makes naive Readability ports quadratic.
     */
    static final class Stats {
        static final int TEXT = 0;
        static final int LINK = 1;
        static final int COMMA = 2;
        static final int P = 3;
        static final int LI = 4;
        static final int IMG = 5;
        static final int PROSE = 6;
        private final Map<Element, int[]> stats = new IdentityHashMap<>();

        Stats(Element root) {
            NodeTraversor.traverse(new NodeVisitor() {
                @Override
                public void head(Node node, int depth) {
                }

                @Override
                public void tail(Node node, int depth) {
                    if (node instanceof Element e) {
                        int[] mine = new int[7];
                        int own = 0;
                        for (Node child : e.childNodes()) {
                            if (child instanceof TextNode t) {
                                String text = t.getWholeText();
                                int length = collapsedLength(text);
                                own += length;
                                mine[TEXT] += length;
                                mine[COMMA] += commas(text);
                            } else if (child instanceof Element c) {
                                int[] theirs = stats.get(c);
                                if (theirs != null) {
                                    for (int k = 0; k < mine.length; k++) {
                                        mine[k] += theirs[k];
                                    }
                                }
                            }
                        }
                        String tag = e.normalName();
                        if (tag.equals("a")) {
                            mine[LINK] = e.attr("href").startsWith("#") ? (int) (mine[TEXT] * 0.3) : mine[TEXT];
                        } else if (tag.equals("p")) {
                            mine[P]++;
                        } else if (tag.equals("li")) {
                            mine[LI]++;
                        } else if (tag.equals("img")) {
                            mine[IMG]++;
                        }
                        boolean box = tag.equals("div") || tag.equals("section") || tag.equals("article");
                        boolean paragraph = tag.equals("p") || box && !hasBlockChild(e);
                        if (paragraph && mine[TEXT] > 80 && mine[PROSE] == 0) {
                            mine[PROSE] = mine[TEXT];
                        } else if (box && own > 80) {
                            mine[PROSE] += own;     // loose text between blocks
                        }
                        stats.put(e, mine);
                    }
                }
            }, root);
        }

        int get(Element e, int what) {
            int[] s = stats.get(e);
            return s == null ? 0 : s[what];
        }

        double linkDensity(Element e) {
            int total = get(e, TEXT);
            return total == 0 ? 0 : Math.min(1, (double) get(e, LINK) / total);
        }

        private static int commas(String text) {
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                if (COMMA_CHARS.indexOf(text.charAt(i)) >= 0) {
                    n++;
                }
            }
            return n;
        }

        private static int collapsedLength(String text) {
            int n = 0;
            boolean space = true;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c) || c == '\u00a0') {
                    if (!space) {
                        n++;
                        space = true;
                    }
                } else {
                    n++;
                    space = false;
                }
            }
            return n;
        }
    }

    static String text(Document doc, PageMetadata meta) {
        Element body = doc.body();
        if (body == null) {
            return "";
        }
        removeNeverText(body);
        Stats stats = new Stats(body);
        // counts stay those from before these removals: a removed box only makes its ancestors look a little more link-heavy
        removeUnlikely(body, stats);
        Map<Element, Double> scores = score(body);
        scores.replaceAll((e, s) -> s * (1 - stats.linkDensity(e)));
        List<Map.Entry<Element, Double>> ranked = new ArrayList<>(scores.entrySet());
        ranked.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        Element top = ranked.isEmpty() ? body : ranked.get(0).getKey();
        double best = ranked.isEmpty() ? 0 : ranked.get(0).getValue();
        top = refine(top, best, ranked, scores, body);
        best = scores.getOrDefault(top, best);
        List<Element> parts = withSiblings(top, best, scores, stats);
        List<String> lines = new ArrayList<>();
        for (Element part : parts) {
            clean(part, stats);
            lines.addAll(blocks(part));
        }
        return String.join("\n\n", trim(lines));
    }

    /**
     * Scripts, navigation, asides, forms' controls, figures, hidden elements, ARIA landmarks that
     * are not the article, and the h1 (the headline is the title, not the body), in one walk.
     */
    private static void removeNeverText(Element body) {
        List<Element> doomed = new ArrayList<>();
        for (Element e : body.getAllElements()) {
            if (e == body) {
                continue;
            }
            if (NEVER_TEXT_TAGS.contains(e.normalName())) {
                doomed.add(e);
            } else if (e.attributesSize() > 0 && (e.hasAttr("hidden") || e.attr("aria-hidden").equals("true")
                    || NEVER_TEXT_ROLES.contains(e.attr("role")) || e.attr("itemprop").equals("comment")
                    || e.hasAttr("style") && HIDDEN_STYLE.matcher(e.attr("style")).find())) {
                doomed.add(e);
            }
        }
        doomed.forEach(Element::remove);
    }

    private static void removeUnlikely(Element body, Stats stats) {
        List<Element> doomed = new ArrayList<>();
        for (Element e : body.getAllElements()) {
            if (e == body) {
                continue;
            }
            String tag = e.normalName();
            if (tag.equals("article") || tag.equals("main") || tag.equals("a") || tag.equals("p") || tag.equals("table") || tag.equals("tbody")) {
                continue;
            }
            String cls = (e.className() + " " + e.id()).toLowerCase(Locale.ROOT);
            if (cls.isBlank()) {
                continue;
            }
            if (UNLIKELY.in(cls) && !MAYBE.in(cls) && e.closest("article, main, [itemprop=articleBody]") == null
                    && !holdsProse(e, stats)) {
                doomed.add(e);
            }
        }
        doomed.forEach(Element::remove);
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

    /** A class name is a weak hint: a box holding real paragraphs is never dropped for its name alone. */
    private static boolean holdsProse(Element e, Stats stats) {
        return stats.get(e, Stats.PROSE) > 300 && stats.linkDensity(e) < 0.3;
    }

    /** Readability's scoring: each paragraph's score goes to its parent, half to the grandparent, a third further up. */
    private static Map<Element, Double> score(Element body) {
        Map<Element, Double> scores = new IdentityHashMap<>();
        for (Element p : paragraphs(body)) {
            String text = hasBlockChild(p) && !p.normalName().equals("td") && !p.normalName().equals("blockquote") ? p.ownText() : p.text();
            if (text.length() < 25) {
                continue;
            }
            double s = 1 + Stats.commas(text) + Math.min(text.length() / 100, 3);
            Element ancestor = p.parent();
            for (int level = 0; ancestor != null && level < 5; level++) {
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
            } else if ((tag.equals("div") || tag.equals("section") || tag.equals("article")) && (!hasBlockChild(e) || e.ownText().length() >= 25)) {
                out.add(e);    // a div used as a paragraph (text in spans and <br>s, or loose text between blocks)
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

    private static List<Element> withSiblings(Element top, double topScore, Map<Element, Double> scores, Stats stats) {
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

    /** Readability's conditional cleaning: lists and boxes that read like navigation go. */
    private static void clean(Element container, Stats stats) {
        Elements boxes = container.select("ul, ol, div, section, table, dl");
        List<Element> doomed = new ArrayList<>();
        for (int i = boxes.size() - 1; i >= 0; i--) {
            Element box = boxes.get(i);
            if (box == container) {
                continue;
            }
            int length = stats.get(box, Stats.TEXT);
            double ld = stats.linkDensity(box);
            double weight = classWeight(box);
            int commas = stats.get(box, Stats.COMMA);
            boolean list = box.normalName().equals("ul") || box.normalName().equals("ol");
            if (weight < 0 && length < 400) {
                doomed.add(box);
            } else if (commas < 10) {
                int ps = stats.get(box, Stats.P);
                int lis = stats.get(box, Stats.LI);
                if (ld > 0.5 || (weight < 25 && ld > 0.25 && !list) || (list && ld > 0.4)) {
                    doomed.add(box);
                } else if (!list && lis > ps * 2 && lis > 5 && ld > 0.2) {
                    doomed.add(box);
                } else if (length < 25 && stats.get(box, Stats.IMG) > 0 && ps == 0) {
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

    /** Whitespace runs (no-break spaces included) as one space, trimmed. */
    private static String collapse(CharSequence text) {
        StringBuilder b = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void flush(List<String> lines, StringBuilder current) {
        String line = collapse(current);
        current.setLength(0);
        if (line.isEmpty() || line.length() < 200 && BOILERPLATE.matcher(line.toLowerCase(Locale.ROOT)).matches()
                || line.length() < 80 && DATA.matcher(line).matches()) {
            return;
        }
        if (line.length() < 200 && lines.contains(line)) {
            return;     // a short line said twice is a repeated label, not prose
        }
        lines.add(line);
    }
}

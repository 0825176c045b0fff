package dev.vigil.ingest.extract;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Text, link-text, comma, paragraph, list-item, image and prose counts of every element,
 * computed in one bottom-up pass: asking each element for its text over and over is what
 * makes naive Readability ports quadratic.
 */
final class PageStats {

    private static final String COMMA_CHARS = ",،﹐︐︑⹁⸴⸲，、";

    static final int TEXT = 0;
    static final int LINK = 1;
    static final int COMMA = 2;
    static final int P = 3;
    static final int LI = 4;
    static final int IMG = 5;
    static final int PROSE = 6;
    private final Map<Element, int[]> stats = new IdentityHashMap<>();

    PageStats(Element root) {
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

    /**
     * Removes an element from the page and its counts from its ancestors', so the counts stay
     * those of the page as it now is. Removing an element after one of its ancestors is harmless.
     */
    void remove(Element e) {
        int[] gone = stats.get(e);
        if (gone != null) {
            for (Element a = e.parent(); a != null; a = a.parent()) {
                int[] mine = stats.get(a);
                if (mine != null) {
                    for (int k = 0; k < mine.length; k++) {
                        mine[k] -= gone[k];
                    }
                }
            }
        }
        e.remove();
    }

    int get(Element e, int what) {
        int[] s = stats.get(e);
        return s == null ? 0 : s[what];
    }

    double linkDensity(Element e) {
        int total = get(e, TEXT);
        return total == 0 ? 0 : Math.min(1, (double) get(e, LINK) / total);
    }

    static int commas(String text) {
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

    /** Elements that end a line of text. */
    static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "main", "li", "ul", "ol", "dl",
            "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "br", "hr", "address", "center",
            "figure", "header", "footer", "form", "fieldset", "details", "summary", "tbody", "thead");

    /** Whether a block element (other than a line break) is among the element's children. */
    static boolean hasBlockChild(Element e) {
        for (Element c : e.children()) {
            String t = c.normalName();
            if (BLOCKS.contains(t) && !t.equals("br")) {
                return true;
            }
        }
        return false;
    }
}

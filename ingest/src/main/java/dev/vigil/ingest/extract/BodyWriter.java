package dev.vigil.ingest.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The third phase: write the chosen parts out as text. Lists and boxes inside them that read
 * like navigation go (Readability's conditional cleaning), the rest is written block by block
 * without boilerplate lines, and the lines are trimmed of the furniture before and after the
 * article (a byline, "related stories", comments).
 */
final class BodyWriter {

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
            + "artículos relacionados|artigos relacionados|notícias relacionadas|weitere artikel|das könnte sie auch interessieren|"
            + "vous aimerez aussi|sur le même sujet|dans la même rubrique|関連ニュース|あわせて読みたい|おすすめ記事|相关阅读|相关新闻|"
            + "reply)[:.!…]*");
    /**
     * Where readers' comments begin: unlike the markers above, these end the article wherever they
     * come after its first lines, since comments can be most of a page's text.
     */
    private static final Pattern COMMENTS = Pattern.compile("(?iu)((\\d+ )?(readers'? )?comments?( \\(\\d+\\))?|add (your|a) comment.*|have your say.*|"
            + "what (you|readers) think.*|your (comments|views|say)|leave a (comment|reply)|post a comment|write a comment|"
            + "join the (discussion|conversation)|comments? (are |is )?(now )?closed.*|\\d+ (responses?|replies) to .*|thanks for your comments.*|"
            + "discuss this (article|story)|kommentare|\\d+ kommentare?|comentarios|\\d+ comentarios?|commentaires|\\d+ commentaires?|"
            + "comentários|\\d+ comentários?|コメント|評論|评论|"
            + "(posted|submitted) by:? .{1,60}\\b(on|at) .{1,40})[:.!…]*");
    /** A box inside the article ("Don't miss", "Read more"): it and the short headline lines after it go, the prose resumes. */
    private static final Pattern INTERLUDE = Pattern.compile("(?iu)(recommended( for you| stories| reading)?|read (more|next|also)|share (this|on)\\b.*|"
            + "don'?t miss|trending( now)?|(most )?popular( posts| stories| now)?|sign up\\b.*|advert(isement)?|sponsored( content| links)?)[:.!…]*");
    /** A byline or a dateline: "By Jane Doe - 11/18/19 11:04 PM", "August 23, 2018", "Updated at 1:23 p.m." */
    private static final Pattern BYLINE = Pattern.compile("(?iu)(by|por|von|par|di)\\s+\\p{Lu}[\\p{L}.'’ -]{1,60}([-|,–—].{0,40})?"
            + "|(published|updated|posted)( on| at)?\\b.{0,40}|[^.!?]{0,40}\\b(19|20)\\d\\d\\b[^.!?]{0,25}");

    /** Lines that are data, not prose: a bare URL, a timestamp, a number. */
    private static final Pattern DATA = Pattern.compile("https?://\\S+|\\d{4}-\\d{2}-\\d{2}([T ][\\d:.+\\-Z]+)?|[\\d.,:/ ]+");

    private BodyWriter() {
    }

    /**
     * The article's lines without the furniture around it: a byline or dateline among the first
     * lines goes, and everything from a "related stories" or "comments" marker in the last part on.
     */
    static List<String> trim(List<String> lines) {
        int total = lines.stream().mapToInt(String::length).sum();
        List<String> out = new ArrayList<>();
        int seen = 0;
        int kept = 0;
        boolean interlude = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.length() < 80 && (seen > total * 0.4 && STOP.matcher(line).matches() || kept >= 300 && COMMENTS.matcher(line).matches())) {
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
            kept += line.length();
        }
        return out;
    }

    /** Readability's conditional cleaning: lists and boxes that read like navigation go. */
    static void clean(Element container, PageStats stats) {
        Elements boxes = container.select("ul, ol, div, section, table, dl");
        List<Element> doomed = new ArrayList<>();
        for (int i = boxes.size() - 1; i >= 0; i--) {
            Element box = boxes.get(i);
            if (box == container) {
                continue;
            }
            int length = stats.get(box, PageStats.TEXT);
            double ld = stats.linkDensity(box);
            double weight = ContentScorer.classWeight(box);
            int commas = stats.get(box, PageStats.COMMA);
            boolean list = box.normalName().equals("ul") || box.normalName().equals("ol");
            if (weight < 0 && length < 400) {
                doomed.add(box);
            } else if (commas < 10) {
                int ps = stats.get(box, PageStats.P);
                int lis = stats.get(box, PageStats.LI);
                if (ld > 0.5 || (weight < 25 && ld > 0.25 && !list) || (list && ld > 0.4)) {
                    doomed.add(box);
                } else if (!list && lis > ps * 2 && lis > 5 && ld > 0.2) {
                    doomed.add(box);
                } else if (length < 25 && stats.get(box, PageStats.IMG) > 0 && ps == 0) {
                    doomed.add(box);
                }
            }
        }
        doomed.forEach(stats::remove);
    }

    /** The container's text, one string per block, without boilerplate lines. */
    static List<String> blocks(Element container) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    current.append(t.getWholeText());
                } else if (node instanceof Element e && PageStats.BLOCKS.contains(e.normalName())) {
                    if (isDataCell(e)) {
                        current.append(' ');
                    } else {
                        flush(lines, current);
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && PageStats.BLOCKS.contains(e.normalName())) {
                    if (isDataCell(e)) {
                        current.append(' ');
                    } else {
                        flush(lines, current);
                    }
                }
            }
        }, container);
        flush(lines, current);
        return lines;
    }

    /**
     * A cell of a table of data (no blocks inside it): its row is one line, so a table reads row
     * by row and a value repeated down a column ("Rest", "30 min") is not taken for a repeated label.
     */
    private static boolean isDataCell(Element e) {
        String tag = e.normalName();
        return (tag.equals("td") || tag.equals("th")) && !PageStats.hasBlockChild(e);
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
        lines.add(line);
    }
}

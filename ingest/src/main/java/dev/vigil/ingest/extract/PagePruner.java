package dev.vigil.ingest.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * The first phase of finding the body: remove what is never article text (scripts, controls,
 * hidden elements, navigation and other landmarks that are not the article) and the boxes whose
 * class or id says sidebar, comments, sharing, promotion... unless they hold the prose.
 */
final class PagePruner {

    /** Elements that are never article text, by tag. */
    private static final Set<String> NEVER_TEXT_TAGS = Set.of("script", "style", "noscript", "template", "iframe", "svg",
            "canvas", "object", "embed", "video", "audio", "button", "input", "select", "textarea", "label",
            "figure", "figcaption", "picture", "h1");
    /**
     * Landmarks that are not the article (navigation, page header and footer, asides)... unless
     * the markup put the article inside one. The same goes for hidden elements: a page streamed by
     * a script framework can carry its whole article in a hidden box that the script shows.
     */
    private static final Set<String> LANDMARK_TAGS = Set.of("nav", "aside", "footer", "header");
    /** ... and by ARIA role. */
    private static final Set<String> NEVER_TEXT_ROLES = Set.of("navigation", "banner", "contentinfo", "complementary",
            "dialog", "alertdialog", "search");
    private static final Pattern HIDDEN_STYLE = Pattern.compile("(?i)(display\\s*:\\s*none|visibility\\s*:\\s*hidden)");
    private static final Hints UNLIKELY = new Hints("-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus",
            "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper",
            "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote", "share", "newsletter",
            "subscribe", "promo", "cookie", "consent", "outbrain", "taboola", "recirc", "mostpopular", "most-popular", "trending", "signup",
            "paywall", "byline", "authorbio", "author-bio", "tags", "toolbar", "masthead", "topbar", "navbar", "readmore", "read-more",
            "caption", "credit", "hidden", "modal", "overlay", "widget");
    private static final Hints MAYBE = new Hints("and", "article", "body", "column", "content", "main", "shadow", "story", "text", "entry", "post");

    private PagePruner() {
    }

    /**
     * Scripts, navigation, asides, forms' controls, figures, hidden elements, ARIA landmarks that
     * are not the article, and the h1 (the headline is the title, not the body), in one walk.
     */
    static void removeNeverText(Element body) {
        List<Element> doomed = new ArrayList<>();
        int[] bodyParagraphs = {-1};    // the page's long-paragraph characters, counted once and only if a landmark asks
        for (Element e : body.getAllElements()) {
            if (e == body) {
                continue;
            }
            if (NEVER_TEXT_TAGS.contains(e.normalName())) {
                doomed.add(e);
            } else if (e.attributesSize() > 0 && e.attr("itemprop").equals("comment")) {
                doomed.add(e);
            } else if ((LANDMARK_TAGS.contains(e.normalName()) || e.attributesSize() > 0 && (NEVER_TEXT_ROLES.contains(e.attr("role")) || hidden(e)))
                    && !holdsArticle(e, body, bodyParagraphs)) {
                doomed.add(e);
            }
        }
        doomed.forEach(Element::remove);
    }

    /** Boxes named like furniture, outside the article's own element and holding no prose of their own. */
    static void removeUnlikely(Element body, PageStats stats, Pass pass) {
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
            if (isComments(cls) && stats.get(e, PageStats.TEXT) > 0 && e.selectFirst("[itemprop=articleBody]") == null) {
                // readers' comments are prose too, so neither their prose nor an article element around them saves them;
                // an empty box stays, as part of the page's shape that the scoring reads
                doomed.add(e);
            } else if (pass.removeNamedBoxes && UNLIKELY.in(cls) && !MAYBE.in(cls) && e.closest("article, main, [itemprop=articleBody]") == null
                    && !holdsProse(e, stats)) {
                doomed.add(e);
            }
        }
        doomed.forEach(stats::remove);
    }

    /** Hidden from readers: by attribute or inline style (a script may show it later, which is why the article itself can be hidden). */
    private static boolean hidden(Element e) {
        return e.hasAttr("hidden") || e.attr("aria-hidden").equals("true") || e.hasAttr("style") && HIDDEN_STYLE.matcher(e.attr("style")).find();
    }

    /**
     * Whether a landmark holds the article: it has long paragraphs and there are next to none
     * outside it. A page header or an aside of teasers may have paragraphs of its own, but an
     * unclosed or misused one can hold the whole page.
     */
    private static boolean holdsArticle(Element landmark, Element body, int[] bodyParagraphs) {
        int mine = longParagraphChars(landmark);
        if (mine < 800) {
            return false;
        }
        if (bodyParagraphs[0] < 0) {
            bodyParagraphs[0] = longParagraphChars(body);
        }
        return bodyParagraphs[0] - mine < 400;
    }

    private static int longParagraphChars(Element e) {
        int chars = 0;
        for (Element p : e.getElementsByTag("p")) {
            int length = p.text().length();
            if (length >= 80) {
                chars += length;
            }
        }
        return chars;
    }

    /** A comment section or one comment, by a class or id word: "comments", "comment-list", "disqus_thread", "respond"; not "commentary". */
    static boolean isComments(String lowerClassAndId) {
        if (!lowerClassAndId.contains("comment") && !lowerClassAndId.contains("disqus") && !lowerClassAndId.contains("respond")) {
            return false;     // the common case, without splitting
        }
        for (String word : lowerClassAndId.split("\\s+")) {
            if ((word.contains("comment") && !word.contains("commentar")) || word.startsWith("disqus") || word.equals("respond")) {
                return true;
            }
        }
        return false;
    }

    /** A class name is a weak hint: a box holding real paragraphs is never dropped for its name alone. */
    private static boolean holdsProse(Element e, PageStats stats) {
        return stats.get(e, PageStats.PROSE) > 300 && stats.linkDensity(e) < 0.3;
    }
}

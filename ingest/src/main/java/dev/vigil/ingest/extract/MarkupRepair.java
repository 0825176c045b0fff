package dev.vigil.ingest.extract;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/** Mending what broken markup does to a parsed page before anything reads it. */
final class MarkupRepair {

    /** A title this long that holds markup was never closed. */
    private static final int RUNAWAY_TITLE = 300;

    private MarkupRepair() {
    }

    /**
     * A {@code <title>} that is never closed swallows the rest of the page as its text (the HTML
     * parser reads a title as raw text up to {@code </title>}, as browsers do). Such a title is
     * cut at its first tag, and what follows is parsed again as the page it was.
     */
    static void closeRunawayTitle(Document doc) {
        Element title = doc.head().selectFirst("title");
        if (title == null) {
            return;
        }
        String raw = title.wholeText();
        int tag = raw.indexOf('<');
        if (raw.length() < RUNAWAY_TITLE || tag < 0) {
            return;
        }
        title.text(raw.substring(0, tag).strip());
        Document rest = Jsoup.parse(raw.substring(tag), doc.location());
        for (Node n : rest.head().childNodes().toArray(new Node[0])) {
            doc.head().appendChild(n);
        }
        Element body = doc.body();
        Node[] parsed = rest.body().childNodes().toArray(new Node[0]);
        if (body.childNodeSize() == 0 || body.childNodes().stream().allMatch(n -> n instanceof TextNode t && t.isBlank())) {
            for (Node n : parsed) {
                body.appendChild(n);
            }
        } else {
            // the page had a body after all (a later "</title>" that was not the title's): what the title swallowed goes first
            for (int i = parsed.length - 1; i >= 0; i--) {
                body.prependChild(parsed[i]);
            }
        }
    }
}

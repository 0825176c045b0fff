package dev.vigil.ingest.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Finds the running text of an article, in the spirit of Mozilla's Readability, in three phases:
 * {@link PagePruner} drops what is never article text, {@link ContentScorer} scores every block of
 * prose into its ancestors and takes the best container with the siblings that read like it, and
 * {@link BodyWriter} cleans it of link lists and boilerplate and writes it out block by block.
 * A page that yields less than an article is read again, trusting class names less ({@link Pass}).
 */
final class BodyFinder {

    private BodyFinder() {
    }

    /**
     * The body text of a page.
     *
     * @param first the parsed page, modified (boilerplate removed)
     * @param again the same page parsed afresh, for a second pass; called only when one is needed
     */
    static String text(Document first, Supplier<Document> again) {
        String best = text(first, Pass.STRICT);
        for (Pass pass : new Pass[] {Pass.KEEP_NAMED_BOXES, Pass.TRUST_NOTHING}) {
            if (best.length() >= ArticleExtractor.MIN_TEXT_CHARS) {
                // only a pass that found no article is retried: "the longest wins" would trade a short post for its comments
                break;
            }
            Document fresh = again.get();
            MarkupRepair.closeRunawayTitle(fresh);
            String text = text(fresh, pass);
            if (text.length() > best.length()) {
                best = text;
            }
        }
        return best;
    }

    private static String text(Document doc, Pass pass) {
        Element body = doc.body();
        if (body == null) {
            return "";
        }
        PagePruner.removeNeverText(body);
        PageStats stats = new PageStats(body);
        PagePruner.removeUnlikely(body, stats, pass);
        List<String> lines = new ArrayList<>();
        for (Element part : ContentScorer.parts(body, stats, pass)) {
            if (pass.cleanContainer) {
                BodyWriter.clean(part, stats);
            }
            lines.addAll(BodyWriter.blocks(part));
        }
        return String.join("\n\n", BodyWriter.trim(lines));
    }
}

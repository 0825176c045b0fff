package dev.vigil.ingest.extract;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Finds the running text of an article, in the spirit of Mozilla's Readability, in three phases:
 * {@link PagePruner} drops what is never article text, {@link ContentScorer} scores every block of
 * prose into its ancestors and takes the best container with the siblings that read like it, and
 * {@link BodyWriter} cleans it of link lists and boilerplate and writes it out block by block.
 */
final class BodyFinder {

    private BodyFinder() {
    }

    static String text(Document doc, PageMetadata meta) {
        Element body = doc.body();
        if (body == null) {
            return "";
        }
        PagePruner.removeNeverText(body);
        PageStats stats = new PageStats(body);
        // counts stay those from before these removals: a removed box only makes its ancestors look a little more link-heavy
        PagePruner.removeUnlikely(body, stats);
        List<String> lines = new ArrayList<>();
        for (Element part : ContentScorer.parts(body, stats)) {
            BodyWriter.clean(part, stats);
            lines.addAll(BodyWriter.blocks(part));
        }
        return String.join("\n\n", BodyWriter.trim(lines));
    }
}

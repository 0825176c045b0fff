package dev.vigil.ingest.extract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Development aid, not a test: per-page F1 of both corpora to a TSV, and for the weakest pages
 * the lines that were missed (in the truth, not extracted) and kept wrongly (extracted, not in
 * the truth). Run with the test class path:
 * {@code java -cp ... dev.vigil.ingest.extract.ExtractionDiagnostic OUT.tsv [dataset [pages]]}.
 */
final class ExtractionDiagnostic {

    private ExtractionDiagnostic() {
    }

    public static void main(String[] args) throws IOException {
        Path tsv = Path.of(args[0]);
        String only = args.length > 1 ? args[1] : "";
        int worst = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        List<ExtractionCorpus.Page> pages = new ArrayList<>(ExtractionCorpus.pages(ExtractionCorpus.DEV));
        pages.addAll(ExtractionCorpus.pages(ExtractionCorpus.MORE));
        ArticleExtractor extractor = new ArticleExtractor();
        record Row(ExtractionCorpus.Page page, String text, double f1, double p, double r) {
        }
        List<Row> rows = new ArrayList<>();
        StringBuilder out = new StringBuilder("id\tdataset\tP\tR\tF1\n");
        for (ExtractionCorpus.Page page : pages) {
            if (!only.isEmpty() && !page.dataset().equals(only)) {
                continue;
            }
            String text = ExtractionCorpus.extract(extractor, page);
            ShingleScore.Page s = new ShingleScore().add(page.truth(), text);
            double p = Double.isNaN(s.precision()) ? 0 : s.precision();
            double r = Double.isNaN(s.recall()) ? 0 : s.recall();
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            rows.add(new Row(page, text, f1, p, r));
            out.append(String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%.4f%n", page.id(), page.dataset(), s.precision(), s.recall(), f1));
        }
        Files.writeString(tsv, out, StandardCharsets.UTF_8);
        rows.sort(Comparator.comparingDouble(Row::f1));
        for (Row row : rows.subList(0, Math.min(worst, rows.size()))) {
            System.out.printf(Locale.ROOT, "==== %s  %s  P %.3f  R %.3f  (%s)%n", row.page().id(), row.page().dataset(), row.p(), row.r(), row.page().url());
            diff("MISSING", row.page().truth(), row.text());
            diff("EXTRA", row.text(), row.page().truth());
        }
    }

    /** Lines of {@code a} of which most shingles are not in {@code b}. */
    private static void diff(String label, String a, String b) {
        Map<String, Integer> other = ShingleScore.shingles(b);
        for (String line : a.split("\n")) {
            Map<String, Integer> mine = ShingleScore.shingles(line);
            if (mine.isEmpty()) {
                continue;
            }
            long absent = mine.keySet().stream().filter(k -> !other.containsKey(k)).count();
            if (absent * 2 > mine.size()) {
                String l = line.strip();
                System.out.println("  " + label + ": " + (l.length() > 220 ? l.substring(0, 220) + "…" : l));
            }
        }
    }
}

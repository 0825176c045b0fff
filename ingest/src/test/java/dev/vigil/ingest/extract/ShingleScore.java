package dev.vigil.ingest.extract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The article-extraction-benchmark's scoring rule (corpora/extraction-dev/README.txt): tokens are
 * {@code \w+} matches, shingles are runs of four tokens counted as a multiset, each page's
 * tp/fp/fn are normalised by their sum, precision and recall are means over pages, and F1 is
 * computed from those two means.
 */
final class ShingleScore {

    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    private final List<Double> precisions = new ArrayList<>();
    private final List<Double> recalls = new ArrayList<>();
    private int pages;

    /** Page-level precision and recall (NaN where the page does not count toward the mean). */
    record Page(double precision, double recall) {
    }

    Page add(String expected, String extracted) {
        pages++;
        Map<String, Integer> exp = shingles(expected);
        Map<String, Integer> ext = shingles(extracted);
        double tp = 0;
        double fp = 0;
        double fn = 0;
        for (Map.Entry<String, Integer> e : ext.entrySet()) {
            int want = exp.getOrDefault(e.getKey(), 0);
            tp += Math.min(want, e.getValue());
            fp += Math.max(0, e.getValue() - want);
        }
        for (Map.Entry<String, Integer> e : exp.entrySet()) {
            fn += Math.max(0, e.getValue() - ext.getOrDefault(e.getKey(), 0));
        }
        double sum = tp + fp + fn;
        if (sum > 0) {
            tp /= sum;
            fp /= sum;
            fn /= sum;
        }
        double p = Double.NaN;
        double r = Double.NaN;
        if (fp == 0 && fn == 0) {
            p = 1;
            r = 1;
        } else {
            if (tp + fp > 0) {
                p = tp / (tp + fp);
            }
            if (tp + fn > 0) {
                r = tp / (tp + fn);
            }
        }
        if (!Double.isNaN(p)) {
            precisions.add(p);
        }
        if (!Double.isNaN(r)) {
            recalls.add(r);
        }
        return new Page(p, r);
    }

    int pages() {
        return pages;
    }

    double precision() {
        return precisions.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    double recall() {
        return recalls.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    static Map<String, Integer> shingles(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = WORD.matcher(text == null ? "" : text);
        while (m.find()) {
            tokens.add(m.group());
        }
        Map<String, Integer> out = new HashMap<>();
        if (tokens.isEmpty()) {
            return out;
        }
        if (tokens.size() < 4) {
            out.put(String.join(" ", tokens), 1);
            return out;
        }
        for (int i = 0; i + 4 <= tokens.size(); i++) {
            out.merge(String.join(" ", tokens.subList(i, i + 4)), 1, Integer::sum);
        }
        return out;
    }
}

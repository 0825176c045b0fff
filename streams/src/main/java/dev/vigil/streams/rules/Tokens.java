package dev.vigil.streams.rules;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/**
 * A text split into words, each folded the one way rules and articles are both folded: Unicode
 * compatibility decomposition, accents dropped, lower-cased with {@link Locale#ROOT} (so the
 * Turkish dotless i never changes a match). Offsets point into the original text, for evidence.
 */
final class Tokens {

    private final String text;
    private final String[] folded;
    private final int[] start;
    private final int[] end;

    private Tokens(String text, String[] folded, int[] start, int[] end) {
        this.text = text;
        this.folded = folded;
        this.start = start;
        this.end = end;
    }

    static Tokens of(String text) {
        int n = text.length();
        String[] words = new String[Math.max(4, n / 5)];
        int[] starts = new int[words.length];
        int[] ends = new int[words.length];
        int count = 0;
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isWordChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int s = i;
            while (i < n) {
                cp = text.codePointAt(i);
                if (!isWordChar(cp)) {
                    break;
                }
                i += Character.charCount(cp);
            }
            if (count == words.length) {
                words = Arrays.copyOf(words, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            words[count] = fold(text.substring(s, i));
            starts[count] = s;
            ends[count] = i;
            count++;
        }
        return new Tokens(text, Arrays.copyOf(words, count), Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
    }

    /** The folding every word goes through, exposed so terms are folded identically. */
    static String fold(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK) {
                continue;
            }
            out.appendCodePoint(cp);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Letters and digits make words; everything else separates them, hyphens and apostrophes
     * included, so "al-Qaeda" and "al Qaeda" are the same two words in rules and in articles.
     */
    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp);
    }

    int size() {
        return folded.length;
    }

    String word(int i) {
        return folded[i];
    }

    int start(int i) {
        return start[i];
    }

    int end(int i) {
        return end[i];
    }

    String text() {
        return text;
    }

    /**
     * A short excerpt around the words {@code from..to} (inclusive), whitespace collapsed, cut at
     * word boundaries, with an ellipsis where it was cut.
     */
    String snippet(int from, int to, int contextWords) {
        int a = Math.max(0, from - contextWords);
        int b = Math.min(folded.length - 1, to + contextWords);
        String body = text.substring(start[a], end[b]).replaceAll("\\s+", " ").strip();
        return (a > 0 ? "…" : "") + body + (b < folded.length - 1 ? "…" : "");
    }
}

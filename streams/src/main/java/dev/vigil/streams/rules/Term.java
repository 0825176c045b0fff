package dev.vigil.streams.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One term of a rule as the operator wrote it ({@code "aircraft carrier"}, {@code strike*}),
 * compiled to the folded words it must match in sequence. A trailing {@code *} on a word
 * matches any word starting with it.
 */
public record Term(String source, List<String> words, List<Boolean> prefix) {

    public Term {
        Objects.requireNonNull(source, "source");
        words = List.copyOf(words);
        prefix = List.copyOf(prefix);
        if (words.isEmpty() || words.size() != prefix.size()) {
            throw new IllegalArgumentException("term '" + source + "': expected at least one word");
        }
    }

    /**
     * Compiles a term; throws {@link IllegalArgumentException} with a reason when it has no
     * words or a {@code *} anywhere but at a word's end, or a prefix shorter than 3 letters.
     */
    public static Term parse(String source) {
        List<String> words = new ArrayList<>();
        List<Boolean> prefix = new ArrayList<>();
        for (String raw : source.strip().split("\\s+")) {
            if (raw.isEmpty()) {
                continue;
            }
            boolean isPrefix = raw.endsWith("*");
            String body = isPrefix ? raw.substring(0, raw.length() - 1) : raw;
            if (body.contains("*")) {
                throw new IllegalArgumentException("'*' is allowed only at the end of a word");
            }
            Tokens tokens = Tokens.of(body);
            if (tokens.size() == 0) {
                continue;
            }
            for (int i = 0; i < tokens.size(); i++) {
                boolean last = i == tokens.size() - 1;
                String word = tokens.word(i);
                if (isPrefix && last && word.length() < 3) {
                    throw new IllegalArgumentException("prefix '" + word + "*' is too short to mean anything; use at least 3 letters");
                }
                words.add(word);
                prefix.add(isPrefix && last);
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no words in it");
        }
        return new Term(source, words, prefix);
    }

    int length() {
        return words.size();
    }

    /** Whether the term matches the words of {@code tokens} starting at {@code at}. */
    boolean matchesAt(Tokens tokens, int at) {
        if (at + words.size() > tokens.size()) {
            return false;
        }
        for (int j = 0; j < words.size(); j++) {
            String word = tokens.word(at + j);
            boolean ok = prefix.get(j) ? word.startsWith(words.get(j)) : word.equals(words.get(j));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

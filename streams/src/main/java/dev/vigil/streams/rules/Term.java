package dev.vigil.streams.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * One term of a rule as the operator wrote it, split into the words it must match in sequence.
 *
 * <ul>
 *   <li>{@code strike}: the word in any inflection of its language ("strikes", "struck");</li>
 *   <li>{@code aircraft carrier}: a phrase, its words in this order, each inflected freely;</li>
 *   <li>{@code designat*}: any word that starts with {@code designat} (at least 3 letters);</li>
 *   <li>{@code =striking}: exactly this word, not its other forms;</li>
 *   <li>{@code /f-?\d{2}/} (the whole term between slashes): one word matching an RE2 regular
 *       expression, which runs in linear time; unbounded repetition ({@code * + {n,}}) is refused.</li>
 * </ul>
 * Case and accents never matter; words are cut and folded by {@link Analysis}.
 *
 * @param source   the term as written, shown in evidence
 * @param language the language it belongs to; empty when it applies to every language of the rule set
 * @param pieces   the words it matches, in order
 */
public record Term(String source, Optional<Language> language, List<Piece> pieces) {

    /** Shortest prefix a {@code word*} may have: shorter ones match too much to mean anything. */
    public static final int MIN_PREFIX = 3;
    /** Longest regular expression accepted. */
    public static final int MAX_REGEX = 100;

    private static final Analysis SURFACE = new Analysis(List.of(Language.EN));
    /** A tokenizer per thread: building one costs more than cutting a term. */
    private static final ThreadLocal<Tokenizer> TOKENIZER = ThreadLocal.withInitial(Analysis::tokenizer);

    public Term {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(language, "language");
        pieces = List.copyOf(pieces);
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("term '" + source + "': expected at least one word");
        }
    }

    /** One word of a term. */
    public sealed interface Piece {
    }

    /** A word compared by its stem; {@code raw} is what the tokenizer cut, stemmed per language when compiled. */
    public record Word(String raw, String surface) implements Piece {
    }

    /** A word compared by its surface form only. */
    public record Exact(String surface) implements Piece {
    }

    /** Any word whose surface form starts with {@code prefix}. */
    public record Prefix(String prefix) implements Piece {
    }

    /** One word whose whole surface form matches {@code pattern}. */
    public record Regex(Pattern pattern) implements Piece {
    }

    /**
     * Parses a term; throws {@link IllegalArgumentException} with a reason a person understands
     * when it has no words, a {@code *} anywhere but at a word's end, a prefix under
     * {@value #MIN_PREFIX} letters, or a regular expression that does not compile, may repeat
     * without bound, or matches an empty word.
     */
    public static Term parse(String source, Optional<Language> language) {
        String text = source.strip();
        if (text.length() >= 2 && text.startsWith("/") && text.endsWith("/")) {
            return new Term(source, language, List.of(regex(text.substring(1, text.length() - 1))));
        }
        List<Piece> pieces = new ArrayList<>();
        for (String chunk : text.split("\\s+")) {
            if (chunk.isEmpty()) {
                continue;
            }
            boolean exact = chunk.startsWith("=");
            boolean prefix = chunk.endsWith("*");
            String body = chunk.substring(exact ? 1 : 0, Math.max(exact ? 1 : 0, chunk.length() - (prefix ? 1 : 0)));
            if (body.contains("*")) {
                throw new IllegalArgumentException("'*' is allowed only at the end of a word (" + chunk + ")");
            }
            List<String> words = words(body);
            for (int i = 0; i < words.size(); i++) {
                String raw = words.get(i);
                String surface = SURFACE.surface(raw);
                boolean last = i == words.size() - 1;
                if (prefix && last) {
                    if (surface.codePointCount(0, surface.length()) < MIN_PREFIX) {
                        throw new IllegalArgumentException("prefix '" + surface + "*' is too short to mean anything; use at least " + MIN_PREFIX + " letters");
                    }
                    pieces.add(new Prefix(surface));
                } else if (exact) {
                    pieces.add(new Exact(surface));
                } else {
                    pieces.add(new Word(raw, surface));
                }
            }
        }
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("no words in it");
        }
        return new Term(source, language, pieces);
    }

    /** The words the tokenizer cuts from {@code text}, unfolded. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Tokenizer tokenizer = TOKENIZER.get();
        CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);
        tokenizer.setReader(new StringReader(text));
        // closing readies the tokenizer for the next term, also when this one failed
        try (Tokenizer words = tokenizer) {
            words.reset();
            while (words.incrementToken()) {
                out.add(term.toString());
            }
            words.end();
        } catch (IOException e) {
            throw new UncheckedIOException("reading a term from memory cannot fail", e);
        }
        return out;
    }

    private static Regex regex(String expression) {
        if (expression.isEmpty()) {
            throw new IllegalArgumentException("empty regular expression");
        }
        if (expression.length() > MAX_REGEX) {
            throw new IllegalArgumentException("regular expression longer than " + MAX_REGEX + " characters");
        }
        String unbounded = RegexBounds.unboundedRepetition(expression);
        if (unbounded != null) {
            throw new IllegalArgumentException("regular expression repeats without bound ('" + unbounded
                    + "'); write a bounded count such as {0,3}, or a prefix term like word*");
        }
        Pattern pattern;
        try {
            // words are matched in their folded form: lower case, no accents
            pattern = Pattern.compile(expression, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription());
        }
        if (pattern.matches("")) {
            throw new IllegalArgumentException("regular expression matches an empty word, so it would match everywhere");
        }
        return new Regex(pattern);
    }

    /** Finds repetition without an upper bound in a regular expression's source. */
    static final class RegexBounds {
        private RegexBounds() {
        }

        /** The first unbounded quantifier ({@code *}, {@code +}, {@code {n,}}), or {@code null} when there is none. */
        static String unboundedRepetition(String re) {
            boolean inClass = false;
            for (int i = 0; i < re.length(); i++) {
                char c = re.charAt(i);
                if (c == '\\') {
                    i++;
                    continue;
                }
                if (inClass) {
                    inClass = c != ']';
                    continue;
                }
                if (c == '[') {
                    inClass = true;
                    // a ']' right after '[' or '[^' is a literal
                    if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
                        i++;
                    }
                    if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
                        i++;
                    }
                } else if (c == '*' || c == '+') {
                    return String.valueOf(c);
                } else if (c == '{') {
                    int close = re.indexOf('}', i);
                    if (close > 0 && re.substring(i + 1, close).matches("\\d+,")) {
                        return re.substring(i, close + 1);
                    }
                }
            }
            return null;
        }
    }
}

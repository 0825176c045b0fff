package dev.vigil.streams.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.icu.ICUFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * How rule terms and article text become comparable words: one Lucene analysis chain, the same
 * for both sides.
 *
 * <ol>
 *   <li>{@link StandardTokenizer}: Unicode word boundaries (UAX #29). "al-Qaeda" is two words,
 *       "Maduro's" one, "EE.UU." one ({@code ee.uu}).</li>
 *   <li>{@link EnglishPossessiveFilter}: drops a trailing 's ("Maduro's" is "maduro").</li>
 *   <li>{@link ICUFoldingFilter}: Unicode case folding, accents and compatibility forms removed
 *       ("Nicolás" is "nicolas", "ﬁ" is "fi"). This is the word's <em>surface</em> form, which
 *       exact words ({@code =word}), prefixes ({@code word*}) and regular expressions see. Case
 *       folding never consults the default locale, so a Turkish locale changes nothing.</li>
 *   <li>{@link KeywordRepeatFilter} keeps the surface form, then the language's stemmer
 *       ({@link Language}) makes the <em>stem</em> that plain rule words are compared by.</li>
 * </ol>
 *
 * <p>Every step after the tokenizer works on one word at a time, so the matcher runs the tokenizer
 * over an article and looks each distinct word up in a per-thread cache instead of running the
 * whole chain per occurrence; {@link #analyzer} is the same chain as a plain Lucene analyzer, which
 * the benchmark gives Lucene Monitor so both engines see identical words.
 */
public final class Analysis {

    private final List<Language> languages;
    private final List<Analyzer> wordChains;

    /** Analysis for these languages; a word gets one stem per language, in this order. */
    public Analysis(List<Language> languages) {
        this.languages = List.copyOf(languages);
        if (this.languages.isEmpty()) {
            throw new IllegalArgumentException("languages: expected at least one");
        }
        List<Analyzer> chains = new ArrayList<>();
        for (Language language : this.languages) {
            chains.add(chain(KeywordTokenizer::new, language, UnaryOperator.identity()));
        }
        this.wordChains = List.copyOf(chains);
    }

    public List<Language> languages() {
        return languages;
    }

    /** The tokenizer every text goes through first. */
    public static Tokenizer tokenizer() {
        return new StandardTokenizer();
    }

    /**
     * The whole chain for one language as a Lucene analyzer: at every position the surface form
     * (marked as a keyword) and then the stem, at the same position. {@code last} is applied to the
     * end of the chain, e.g. to tell the two forms apart in an index.
     */
    public static Analyzer analyzer(Language language, UnaryOperator<TokenStream> last) {
        return chain(StandardTokenizer::new, language, last);
    }

    private static Analyzer chain(java.util.function.Supplier<Tokenizer> tokenizer, Language language, UnaryOperator<TokenStream> last) {
        Objects.requireNonNull(language, "language");
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = tokenizer.get();
                TokenStream folded = new ICUFoldingFilter(new EnglishPossessiveFilter(source));
                return new TokenStreamComponents(source, last.apply(language.stem(new KeywordRepeatFilter(folded))));
            }
        };
    }

    /**
     * The forms of one word as the tokenizer cut it: its surface form and its stem in each language.
     * Returns {@code null} when nothing is left of it (it cannot happen with the chain above, but
     * the caller must not index an empty word). Tools that must see words exactly as the matcher
     * does (the benchmark's Lucene Monitor queries) use this too.
     */
    public WordForms forms(String raw) {
        String surface = null;
        String[] stems = new String[wordChains.size()];
        for (int l = 0; l < wordChains.size(); l++) {
            try (TokenStream ts = wordChains.get(l).tokenStream("", raw)) {
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                // KeywordRepeatFilter emits the keyword-marked copy (the surface form) first and
                // the copy the stemmer saw second
                for (int n = 0; ts.incrementToken(); n++) {
                    if (n == 0 && surface == null) {
                        surface = term.toString();
                    } else if (n == 1) {
                        stems[l] = term.toString();
                    }
                }
                ts.end();
            } catch (IOException e) {
                throw new UncheckedIOException("analysing a word in memory cannot fail", e);
            }
            if (surface == null || surface.isEmpty()) {
                return null;
            }
            if (stems[l] == null) {
                stems[l] = surface;
            }
        }
        return new WordForms(surface, stems);
    }

    /** The surface form of a word: folded, possessive dropped. */
    String surface(String raw) {
        WordForms forms = forms(raw);
        return forms == null ? "" : forms.surface();
    }

    /**
     * A word's surface form and its stem per language.
     *
     * @param surface folded, possessive dropped
     * @param stems   one per language, indexed like {@link #languages()}
     */
    public record WordForms(String surface, String[] stems) {
        public WordForms {
            stems = stems.clone();
        }

        @Override
        public String[] stems() {
            return stems.clone();
        }

        /** The stem in the language at {@code index} of {@link #languages()}. */
        public String stem(int index) {
            return stems[index];
        }
    }
}

package dev.vigil.streams.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;

/**
 * A language rules can be written in, with the Lucene stemmer that reduces its words to the form
 * a rule term and an article word are compared in.
 *
 * <ul>
 *   <li>English: Krovetz's KStem ({@link KStemFilter}), which checks its suffix stripping against a
 *       dictionary, so "designated" meets "designate" but "design" stays apart from both (Porter's
 *       stemmer makes "design" of all three, "organ" of "organization" and "polic" of "police"). It
 *       leaves irregular forms alone, so a table of English irregular verbs
 *       ({@code rules/irregular-en.txt}, read by Lucene's {@link StemmerOverrideFilter}) first
 *       takes "struck" to "strike", "sank" to "sink", "flew" to "fly".</li>
 *   <li>Spanish: Savoy's light stemmer ({@link SpanishLightStemFilter}, what Lucene's own Spanish
 *       analyser uses): plurals and gender, "sanciones" meets "sanción", "militares" meets
 *       "militar". Snowball's Spanish stemmer was tried and dropped: on accent-folded text it
 *       stems "designación" and "designaciones" apart. Verb forms are reached with a prefix
 *       ({@code atac*}).</li>
 * </ul>
 */
public enum Language {
    EN("en") {
        @Override
        TokenStream stem(TokenStream in) {
            return new KStemFilter(new StemmerOverrideFilter(in, IrregularForms.ENGLISH));
        }
    },
    ES("es") {
        @Override
        TokenStream stem(TokenStream in) {
            return new SpanishLightStemFilter(in);
        }
    };

    private final String code;

    Language(String code) {
        this.code = code;
    }

    /** The ISO 639-1 code rules files use: {@code en}, {@code es}. */
    public String code() {
        return code;
    }

    /** Stems every token that is not marked as a keyword; marked tokens pass unchanged. */
    abstract TokenStream stem(TokenStream in);

    /** The language of a code as rules write it ({@code es}); empty when it is not one Vigil has. */
    public static Optional<Language> ofCode(String code) {
        return Arrays.stream(values()).filter(l -> l.code.equals(code)).findFirst();
    }

    /**
     * The language of an article's BCP 47 tag ({@code en}, {@code en-GB}, {@code es-419}); empty
     * when the tag is missing or names a language Vigil has no stemmer for.
     */
    public static Optional<Language> ofTag(String tag) {
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        String primary = tag.strip().toLowerCase(Locale.ROOT);
        int dash = primary.indexOf('-') >= 0 ? primary.indexOf('-') : primary.indexOf('_');
        return ofCode(dash >= 0 ? primary.substring(0, dash) : primary);
    }

    /** The irregular forms table, read once. */
    private static final class IrregularForms {
        static final StemmerOverrideFilter.StemmerOverrideMap ENGLISH = load("/rules/irregular-en.txt");

        private static StemmerOverrideFilter.StemmerOverrideMap load(String resource) {
            try (InputStream in = Language.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the irregular forms table " + resource + " is missing from the classpath");
                }
                StemmerOverrideFilter.Builder builder = new StemmerOverrideFilter.Builder(false);
                String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i].strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String[] parts = line.split("\\s+");
                    if (parts.length < 2) {
                        throw new IllegalStateException(resource + ":" + (i + 1) + ": expected 'base form form...', found '" + line + "'");
                    }
                    for (int p = 1; p < parts.length; p++) {
                        builder.add(parts[p], parts[0]);
                    }
                }
                return builder.build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }
}

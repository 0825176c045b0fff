package dev.vigil.bench;

import dev.vigil.streams.rules.Analysis;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Set;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Not an engine: only the tokenizer every engine here starts with, over title and body. Its
 * articles per second are the ceiling of any matcher built on it, measured in the same run, so the
 * other figures can be read against the machine's speed at that moment.
 */
public final class TokenizerEngine implements Engine {

    private final Tokenizer tokenizer = Analysis.tokenizer();
    private final CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);

    @Override
    public Object tag(BenchArticle article) {
        return count(article.title()) + count(article.body());
    }

    private int count(String text) {
        int chars = 0;
        tokenizer.setReader(new StringReader(text));
        try (Tokenizer words = tokenizer) {
            words.reset();
            while (words.incrementToken()) {
                chars += term.length();
            }
            words.end();
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        return chars;
    }

    @Override
    public Set<String> matchedRules(BenchArticle article) {
        return Set.of();
    }
}

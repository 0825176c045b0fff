package dev.vigil.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The word cache: what it keeps, for how long, and what it never keeps. */
class WordCacheTest {

    private final WordCache cache = new WordCache();

    /** A word as the tokenizer hands it over: the first {@code length} characters of a longer, reused buffer. */
    private static char[] buffer(String word) {
        char[] buffer = Arrays.copyOf(word.toCharArray(), word.length() + 16);
        Arrays.fill(buffer, word.length(), buffer.length, 'x');
        return buffer;
    }

    private void put(String word, int... atoms) {
        cache.put(buffer(word), word.length(), WordCache.hash(word.toCharArray(), word.length()), atoms);
    }

    private int[] get(String word) {
        return cache.get(buffer(word), word.length(), WordCache.hash(word.toCharArray(), word.length()));
    }

    @Test
    void aWordPutIsFoundByItsCharactersFromAnotherBuffer() {
        int[] atoms = {3, 7};
        put("strikes", atoms);
        assertThat(get("strikes")).isSameAs(atoms);
        assertThat(get("strike")).isNull();
        assertThat(get("strikers")).isNull();
        assertThat(get("Strikes")).isNull();
    }

    @Test
    void aWordWithNoAtomsIsKeptAsNoneNotAsAMiss() {
        int[] none = new int[0];
        put("the", none);
        assertThat(get("the")).isSameAs(none);
    }

    @Test
    void everyWordStaysFoundAsTheTableGrows() {
        int words = 20_000;
        for (int i = 0; i < words; i++) {
            put("w" + i, i);
        }
        for (int i = 0; i < words; i++) {
            assertThat(get("w" + i)).as("w" + i).containsExactly(i);
        }
        assertThat(get("w" + words)).isNull();
    }

    @Test
    void aWordOverTheLengthLimitIsNeverKept() {
        String longest = "a".repeat(WordCache.MAX_LENGTH);
        String tooLong = "a".repeat(WordCache.MAX_LENGTH + 1);
        put(longest, 1);
        put(tooLong, 2);
        assertThat(get(longest)).containsExactly(1);
        assertThat(get(tooLong)).isNull();
    }

    @Test
    void theCacheIsEmptiedWhenItHoldsItsBoundAndANewWordComes() {
        for (int i = 0; i < WordCache.MAX_WORDS; i++) {
            put("w" + i, i);
        }
        assertThat(get("w0")).containsExactly(0);
        assertThat(get("w" + (WordCache.MAX_WORDS - 1))).containsExactly(WordCache.MAX_WORDS - 1);

        put("one-more", -1);

        assertThat(get("one-more")).containsExactly(-1);
        assertThat(get("w0")).isNull();
        assertThat(get("w" + (WordCache.MAX_WORDS - 1))).isNull();
    }
}

package dev.vigil.streams.rules;

import java.util.Arrays;

/**
 * Words as the tokenizer cut them, to the atoms they match: open addressing over the word's
 * characters, looked up without making a string. Lucene's {@code CharArrayMap} does the same
 * with a fuller load and a weaker hash, which showed in profiles; this one stays at most half
 * full and is emptied when it reaches {@link #MAX_WORDS} words.
 *
 * <p>Laid out for the memory cache, as the lookup runs once per word of every article: a slot
 * is one {@code long} holding the word's hash, length and place in one shared character pool,
 * so a probe reads one array and a hit reads the pool once (the words of a text, the frequent
 * ones first, sit side by side there), instead of chasing a separate array object per word.
 *
 * <p>Not thread-safe, and never shared: {@link RuleIndex} keeps one per reading thread, beside
 * that thread's tokenizer.
 */
final class WordCache {
    /** Distinct words remembered; news vocabulary is Zipfian, so hits dominate long before this. */
    static final int MAX_WORDS = 1 << 16;
    /** Longer words are not cached (they are rare; each is analysed when met). */
    static final int MAX_LENGTH = 255;
    private static final int MAX_POOL = 1 << 24;
    private static final long HASH_AND_LENGTH = 0xFFFF_FFFF_FF00_0000L;

    /** Per slot: hash (high 32 bits), length (8 bits), start in {@link #pool} (24 bits); 0 when empty (a length is never 0). */
    private long[] slots = new long[1 << 12];
    private int[][] values = new int[1 << 12][];
    private char[] pool = new char[1 << 15];
    private int used;
    private int size;

    static int hash(char[] word, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + word[i];
        }
        // spread the bits, as the low ones pick the slot
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ h >>> 13;
    }

    private static long key(int hash, int length) {
        return (long) hash << 32 | (long) length << 24;
    }

    int[] get(char[] word, int length, int hash) {
        if (length > MAX_LENGTH) {
            return null;
        }
        long want = key(hash, length);
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = i + 1 & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return null;
            }
            if ((slot & HASH_AND_LENGTH) == want && same((int) (slot & 0xFF_FFFF), word, length)) {
                return values[i];
            }
        }
    }

    void put(char[] word, int length, int hash, int[] atoms) {
        if (length > MAX_LENGTH) {
            return;
        }
        if (size >= MAX_WORDS || used + length > MAX_POOL) {
            Arrays.fill(slots, 0L);
            Arrays.fill(values, null);
            size = 0;
            used = 0;
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        if (used + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.min(MAX_POOL, Math.max(pool.length * 2, used + length)));
        }
        System.arraycopy(word, 0, pool, used, length);
        insert(key(hash, length) | used, atoms);
        used += length;
        size++;
    }

    private void insert(long slot, int[] atoms) {
        int mask = slots.length - 1;
        int i = (int) (slot >>> 32) & mask;
        while (slots[i] != 0) {
            i = i + 1 & mask;
        }
        slots[i] = slot;
        values[i] = atoms;
    }

    private void grow() {
        long[] oldSlots = slots;
        int[][] oldValues = values;
        slots = new long[oldSlots.length * 2];
        values = new int[oldSlots.length * 2][];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != 0) {
                insert(oldSlots[i], oldValues[i]);
            }
        }
    }

    private boolean same(int start, char[] word, int length) {
        char[] p = pool;
        for (int i = 0; i < length; i++) {
            if (p[start + i] != word[i]) {
                return false;
            }
        }
        return true;
    }
}

package dev.vigil.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity keys of one feed's items already handled, oldest first, bounded: when full, the
 * oldest key goes. Compact on purpose (eight bytes a key) so ten thousand feeds fit in a small
 * heap. Not thread-safe: one feed is polled by one thread at a time.
 */
final class SeenSet {

    static final int MIN_CAPACITY = 64;
    static final int MAX_CAPACITY = 4096;

    private long[] keys;
    private int start;
    private int size;

    SeenSet(int capacity) {
        keys = new long[Math.max(1, capacity)];
    }

    static SeenSet fromHex(List<String> hex, int capacity) {
        SeenSet s = new SeenSet(Math.max(capacity, Math.min(MAX_CAPACITY, hex.size())));
        for (String h : hex) {
            try {
                if (h.length() == 16) {
                    s.add(HexFormat.fromHexDigitsToLong(h));
                }
            } catch (IllegalArgumentException e) {
                // a key this version cannot read is dropped; at worst one old item is seen as new
            }
        }
        return s;
    }

    List<String> toHex() {
        List<String> out = new ArrayList<>(size);
        HexFormat f = HexFormat.of();
        for (int i = 0; i < size; i++) {
            out.add(f.toHexDigits(keys[(start + i) % keys.length]));
        }
        return out;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    boolean contains(long key) {
        for (int i = 0; i < size; i++) {
            if (keys[(start + i) % keys.length] == key) {
                return true;
            }
        }
        return false;
    }

    void add(long key) {
        if (contains(key)) {
            return;
        }
        if (size == keys.length) {
            keys[start] = key;
            start = (start + 1) % keys.length;
        } else {
            keys[(start + size) % keys.length] = key;
            size++;
        }
    }

    /** Grows (never shrinks) so a feed listing {@code items} items keeps four lists' worth of keys. */
    void fitFeedOf(int items) {
        int wanted = Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, items * 2 * 4));
        if (wanted <= keys.length) {
            return;
        }
        long[] grown = new long[wanted];
        for (int i = 0; i < size; i++) {
            grown[i] = keys[(start + i) % keys.length];
        }
        keys = grown;
        start = 0;
    }

    @Override
    public String toString() {
        return "SeenSet" + Arrays.toString(Arrays.copyOf(keys, Math.min(size, 4))) + "… (" + size + ")";
    }
}

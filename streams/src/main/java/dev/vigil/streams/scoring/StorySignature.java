package dev.vigil.streams.scoring;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import com.dynatrace.hash4j.similarity.ElementHashProvider;
import com.dynatrace.hash4j.similarity.SimilarityHashPolicy;
import com.dynatrace.hash4j.similarity.SimilarityHashing;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A MinHash signature of an article's words (3-word shingles of title and body, folded), so two
 * articles can be compared in constant time: the fraction of equal components estimates the
 * Jaccard similarity of their shingle sets. Syndicated copies of a wire story (same body, another
 * outlet's headline or first line) score far above independent stories on the same topic, which
 * share vocabulary but not sentences.
 */
public final class StorySignature {

    private static final int SHINGLE = 3;
    private static final SimilarityHashPolicy POLICY = SimilarityHashing.superMinHash(64, 16);
    private static final Hasher64 HASH = Hashing.komihash5_0();

    private StorySignature() {
    }

    /** The signature of a text, as base64 (stored in state and compared later). */
    public static String of(String title, String text) {
        List<String> words = words(title + "\n" + text);
        List<Long> shingles = new ArrayList<>();
        if (words.size() < SHINGLE) {
            shingles.add(HASH.hashCharsToLong(String.join(" ", words)));
        } else {
            for (int i = 0; i + SHINGLE <= words.size(); i++) {
                shingles.add(HASH.hashCharsToLong(String.join(" ", words.subList(i, i + SHINGLE))));
            }
        }
        byte[] signature = POLICY.createHasher().compute(ElementHashProvider.ofCollection(shingles, Long::longValue));
        return Base64.getEncoder().encodeToString(signature);
    }

    /** Estimated Jaccard similarity of two signatures' shingle sets, 0..1; 0 when either is missing. */
    public static double similarity(String a, String b) {
        if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        return POLICY.getFractionOfEqualComponents(Base64.getDecoder().decode(a), Base64.getDecoder().decode(b));
    }

    private static List<String> words(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}

package dev.vigil.ingest.extract;

/** A set of words looked for inside a lower-cased class or id, as substrings: one loop beats a sixty-word regex alternation per element. */
record Hints(String... words) {

    boolean in(String lower) {
        for (String w : words) {
            if (lower.contains(w)) {
                return true;
            }
        }
        return false;
    }
}

package dev.vigil.model;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule set as {@code vigil rules apply} published it: the value of the compacted topic
 * {@code vigil.rules}, always under the key {@link #KEY}, so the topic keeps the latest release.
 * The streams service validates it again, compiles it and switches to it as a whole; every
 * article it tags afterwards carries {@link #label()}.
 *
 * <pre>{@code
 * {"schemaVersion":1,"version":3,"checksum":"sha256:35c2…","author":"ana","appliedAt":"2025-11-24T08:00:00Z",
 *  "comment":"exclude lightning strikes","file":"rules.yaml","text":"topics:\n  venezuela: …"}
 * }</pre>
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param version       release number: one more than the release it replaced, starting at 1
 * @param checksum      {@code sha256:} and the 64 hex digits of the SHA-256 of {@code text} (UTF-8)
 * @param author        who applied it
 * @param appliedAt     when it was applied
 * @param comment       why, in the author's words; may be empty
 * @param file          the file name it was applied from, for messages
 * @param text          the rules file itself, validated before it was published
 */
public record RulesRelease(int schemaVersion, int version, String checksum, String author, Instant appliedAt, String comment, String file, String text) {

    public static final int SCHEMA_VERSION = 1;
    /** The one key releases are published under. */
    public static final String KEY = "active";

    private static final Pattern CHECKSUM = Pattern.compile("sha256:[0-9a-f]{64}");

    public RulesRelease {
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(text, "text");
        comment = Objects.requireNonNullElse(comment, "");
        file = Objects.requireNonNullElse(file, "rules.yaml");
        if (version < 1) {
            throw new IllegalArgumentException("version: expected >= 1, found " + version);
        }
        if (!CHECKSUM.matcher(checksum).matches()) {
            throw new IllegalArgumentException("checksum: expected sha256: and 64 lower-case hex digits, found '" + checksum + "'");
        }
    }

    /** What tagged articles and alerts are stamped with: {@code v3 sha256:35c23bc089ce}. */
    public String label() {
        return "v" + version + " " + checksum.substring(0, 19);
    }
}

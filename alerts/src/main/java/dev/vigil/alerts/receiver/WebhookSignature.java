package dev.vigil.alerts.receiver;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhook requests per the Standard Webhooks specification: the headers
 * {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature},
 * which holds one or more space-separated {@code v1,<base64 HMAC-SHA256>} entries computed over
 * {@code id + "." + timestamp + "." + body} with the key that the {@code whsec_} secret encodes
 * in base64. Two secrets can be in force at once, so a secret can be rotated without a gap: the
 * sender signs with both and the receiver accepts either.
 *
 * <p>A receiver verifies like this (the secret comes from wherever it keeps secrets):
 * <pre>{@code
 * WebhookSignature verifier = WebhookSignature.of(List.of(System.getenv("VIGIL_WEBHOOK_SECRET")));
 * verifier.verify(headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature"),
 *         body, Instant.now());   // throws InvalidSignatureException when it is not authentic
 * }</pre>
 */
public final class WebhookSignature {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** How far a timestamp may be from the receiver's clock, either way (replay protection). */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String PREFIX = "whsec_";
    private static final String VERSION = "v1";

    private final List<byte[]> keys;
    private final Duration tolerance;

    private WebhookSignature(List<byte[]> keys, Duration tolerance) {
        this.keys = keys;
        this.tolerance = tolerance;
    }

    /** A signer/verifier for one or two {@code whsec_…} secrets, with the default tolerance. */
    public static WebhookSignature of(List<String> secrets) {
        return of(secrets, DEFAULT_TOLERANCE);
    }

    public static WebhookSignature of(List<String> secrets, Duration tolerance) {
        Objects.requireNonNull(tolerance, "tolerance");
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("secrets: expected one or two, found " + secrets.size());
        }
        List<byte[]> keys = new ArrayList<>();
        for (String s : secrets) {
            keys.add(decode(s, "secret #" + (keys.size() + 1)));
        }
        return new WebhookSignature(List.copyOf(keys), tolerance);
    }

    static WebhookSignature ofSecrets(List<Secret> secrets) {
        return of(secrets.stream().map(Secret::reveal).toList());
    }

    /** Throws, naming only where the secret came from, unless it is a valid {@code whsec_} secret. */
    static void requireValidSecret(Secret secret) {
        decode(secret.reveal(), "secret (" + secret.origin() + ")");
    }

    private static byte[] decode(String secret, String what) {
        Objects.requireNonNull(secret, what);
        String s = secret.strip();
        byte[] key = null;
        if (s.startsWith(PREFIX)) {
            try {
                key = Base64.getDecoder().decode(s.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                key = null;
            }
        }
        if (key == null || key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException(what + ": expected a Standard Webhooks secret, 'whsec_' followed by the base64 of 24 to 64 random bytes");
        }
        return key;
    }

    /** The {@code webhook-signature} header value: one {@code v1,…} entry per secret, space-separated. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        byte[] content = signedContent(id, Long.toString(timestampSeconds), body);
        StringBuilder out = new StringBuilder();
        for (byte[] key : keys) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(VERSION).append(',').append(Base64.getEncoder().encodeToString(hmac(key, content)));
        }
        return out.toString();
    }

    /**
     * Checks a request: every header present, the timestamp within the tolerance of {@code now},
     * and at least one {@code v1} entry equal (compared in constant time) to the HMAC under one of
     * the secrets. Returns normally when authentic.
     */
    public void verify(String id, String timestamp, String signatures, byte[] body, Instant now) throws InvalidSignatureException {
        if (id == null || id.isEmpty() || timestamp == null || signatures == null || body == null) {
            throw new InvalidSignatureException("missing webhook-id, webhook-timestamp or webhook-signature");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSignatureException("webhook-timestamp is not a number of seconds");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), now).abs();
        if (skew.compareTo(tolerance) > 0) {
            throw new InvalidSignatureException("webhook-timestamp is " + skew.toSeconds() + " s away from now (tolerance " + tolerance.toSeconds() + " s)");
        }
        byte[] content = signedContent(id, timestamp.strip(), body);
        for (String entry : signatures.strip().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals(VERSION)) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (byte[] key : keys) {
                if (MessageDigest.isEqual(hmac(key, content), given)) {
                    return;
                }
            }
        }
        throw new InvalidSignatureException("no v1 signature matches");
    }

    private static byte[] signedContent(String id, String timestamp, byte[] body) {
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[" + keys.size() + " secret(s)]";
    }

    /** A request that does not carry a valid signature; the message says why, never a secret. */
    public static final class InvalidSignatureException extends Exception {
        public InvalidSignatureException(String reason) {
            super(reason);
        }
    }
}

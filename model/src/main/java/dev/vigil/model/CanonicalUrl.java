package dev.vigil.model;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The canonical form of an article URL, the input of {@link ArticleId}: scheme and host
 * lower-cased, default port, fragment and tracking parameters dropped, remaining query
 * parameters kept in their order.
 */
public final class CanonicalUrl {

    /** Query parameters that only say how a reader arrived, never which article it is. */
    private static final Set<String> TRACKING_PARAMETERS = Set.of(
            "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
            "_ga", "_gl", "ref", "ref_src", "cmpid", "ito", "smid", "partner");

    private CanonicalUrl() {
    }

    /**
     * Canonicalises an absolute http(s) URL; empty for anything else (relative, another
     * scheme, unparsable), so callers fall back to the next identity source.
     */
    public static Optional<String> of(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = HttpUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder out = new StringBuilder(scheme).append("://").append(host);
        if (!defaultPort) {
            out.append(':').append(port);
        }
        out.append(path);
        String query = keptQuery(uri.getRawQuery());
        if (!query.isEmpty()) {
            out.append('?').append(query);
        }
        return Optional.of(out.toString());
    }

    private static String keptQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String name = pair.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (!name.startsWith("utm_") && !TRACKING_PARAMETERS.contains(name)) {
                kept.add(pair);
            }
        }
        return String.join("&", kept);
    }
}

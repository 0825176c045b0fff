package dev.vigil.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one home of "an absolute http(s) URL with a host", the only kind of address Vigil fetches,
 * posts to or stores as a feed. The scheme is compared without regard to case.
 *
 * <pre>{@code
 * URI feed = HttpUrl.parse("https://feeds.bbci.co.uk/news/world/rss.xml");
 * HttpUrl.parse("ftp://example.org/x");   // IllegalArgumentException: scheme 'ftp', expected http or https
 * }</pre>
 */
public final class HttpUrl {

    /** What keeps a URI from being an http(s) URL with a host. */
    public enum Problem {
        /** Another scheme, or none (a relative reference). */
        NOT_HTTP,
        /** An http(s) scheme but no host, such as {@code http:/feed.xml}. */
        NO_HOST
    }

    private HttpUrl() {
    }

    /** {@code uri}'s problem, if it has one. */
    public static Optional<Problem> check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of(Problem.NOT_HTTP);
        }
        return uri.getHost() == null ? Optional.of(Problem.NO_HOST) : Optional.empty();
    }

    /** True when {@code uri} is an absolute http(s) URL with a host. */
    public static boolean is(URI uri) {
        return check(uri).isEmpty();
    }

    /**
     * {@code text}, stripped, as an absolute http(s) URL with a host.
     *
     * @throws IllegalArgumentException naming why it is not one (the message never repeats the
     *                                  text, which may carry a token)
     */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason(), e);
        }
        Optional<Problem> problem = check(uri);
        if (problem.isEmpty()) {
            return uri;
        }
        if (problem.get() == Problem.NO_HOST) {
            throw new IllegalArgumentException("no host");
        }
        throw new IllegalArgumentException(uri.getScheme() == null ? "no scheme, expected http:// or https://"
                : "scheme '" + uri.getScheme().toLowerCase(Locale.ROOT) + "', expected http or https");
    }
}

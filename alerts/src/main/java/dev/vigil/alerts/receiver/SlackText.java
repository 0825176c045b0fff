package dev.vigil.alerts.receiver;

import dev.vigil.model.Alert;
import dev.vigil.model.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Slack message text built from alerts, safely. Slack's markup treats {@code &}, {@code <} and
 * {@code >} as control characters: {@code <!channel>} pings a whole channel and
 * {@code <https://evil|click>} is a disguised link. Every piece of article text is escaped
 * ({@code &amp; &lt; &gt;}), so a headline can never ping anyone or forge a link, and the only
 * links are the ones built here, from http(s) URLs, with their own text escaped too.
 */
public final class SlackText {

    private SlackText() {
    }

    /** Escapes the three characters Slack reserves; also flattens the text to one line. */
    public static String escape(String text) {
        String s = AlertText.oneLine(text);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A link {@code <url|label>} when {@code url} is an absolute http(s) URL, else the escaped label
     * alone (a {@code javascript:} or malformed URL never becomes a link). Characters that would
     * end the link early ({@code | < >} and spaces) are percent-encoded in the URL.
     */
    public static String link(String url, String label) {
        String safeLabel = escape(label);
        if (url == null) {
            return safeLabel;
        }
        StringBuilder encoded = new StringBuilder(url.length());
        String u = url.strip();
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            switch (c) {
                case '|' -> encoded.append("%7C");
                case '<' -> encoded.append("%3C");
                case '>' -> encoded.append("%3E");
                case ' ' -> encoded.append("%20");
                default -> {
                    if (!Character.isISOControl(c)) {
                        encoded.append(c);
                    }
                }
            }
        }
        try {
            URI uri = new URI(encoded.toString());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return safeLabel;
            }
        } catch (URISyntaxException e) {
            return safeLabel;
        }
        return "<" + encoded.toString().replace("&", "&amp;") + "|" + (safeLabel.isEmpty() ? "link" : safeLabel) + ">";
    }

    /** The message: headline, the top stories as links with their outlets, and the alert id. */
    public static String message(Alert alert) {
        Alert.Data d = alert.data();
        StringBuilder out = new StringBuilder();
        String level = d.level().wireName().toUpperCase(Locale.ROOT);
        out.append(d.level() == Level.NORMAL ? ":white_check_mark: " : ":rotating_light: ")
                .append('*').append(escape(d.topic().value())).append("* is *").append(level).append("* (")
                .append(d.transition().wireName()).append(", was ").append(d.previousLevel().wireName()).append(')');
        if (d.level() != Level.NORMAL) {
            out.append(String.format(Locale.ROOT, ", score %.1f", d.score()));
        }
        out.append('\n');
        d.stories().stream().limit(5).forEach(story -> out.append("• ").append(link(story.url(), story.title()))
                .append(" — ").append(escape(story.source())).append('\n'));
        if (d.stories().size() > 5) {
            out.append("• … and ").append(d.stories().size() - 5).append(" more\n");
        }
        out.append("id `").append(escape(alert.id())).append('`');
        return out.toString();
    }
}

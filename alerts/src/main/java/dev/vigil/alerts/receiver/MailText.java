package dev.vigil.alerts.receiver;

import dev.vigil.model.Alert;
import dev.vigil.model.Evidence;
import dev.vigil.model.Level;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The e-mail built from an alert, safely: article text is escaped in the HTML part (a headline
 * with {@code <script>} shows as text), and a header value never carries CR, LF or any other
 * control character (a headline with {@code "\r\nBcc: x@evil"} cannot add a header or a
 * recipient). The plain-text part is {@link AlertText#render}.
 */
public final class MailText {

    private static final int SUBJECT_MAX = 180;

    private MailText() {
    }

    /** A header value: control characters (CR and LF included) and line separators become spaces; capped in length. */
    public static String headerValue(String text) {
        String s = text.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ").strip();
        return s.length() <= SUBJECT_MAX ? s : s.substring(0, SUBJECT_MAX - 1) + "…";
    }

    /** The subject: headline and the top story's title. */
    public static String subject(Alert alert) {
        String top = alert.data().stories().isEmpty() ? "" : ": " + alert.data().stories().get(0).title();
        return headerValue("[Vigil] " + AlertText.headline(alert) + top);
    }

    /** Escapes text for HTML element content and double-quoted attribute values. */
    public static String html(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The HTML part: headline, stories as links (http(s) only) with outlet, share and matched terms. */
    public static String htmlBody(Alert alert) {
        Alert.Data d = alert.data();
        StringBuilder out = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
        out.append("<h2>").append(html(AlertText.headline(alert))).append("</h2>");
        out.append("<p>Window ").append(html(AlertText.time(d.window().start()))).append(" .. ").append(html(AlertText.time(d.window().end())))
                .append(" &middot; rules ").append(html(d.rulesVersion())).append(" &middot; id <code>").append(html(alert.id())).append("</code></p>");
        if (!d.stories().isEmpty()) {
            out.append("<ol>");
            for (Alert.Story story : d.stories()) {
                String title = html(AlertText.oneLine(story.title()));
                out.append("<li>");
                if (isHttp(story.url())) {
                    out.append("<a href=\"").append(html(story.url())).append("\">").append(title).append("</a>");
                } else {
                    out.append(title);
                }
                out.append(String.format(Locale.ROOT, " <small>[+%.1f, %.0f%%]</small><br>", story.weight(), story.share() * 100));
                out.append(html(AlertText.oneLine(story.source()))).append(" &middot; ").append(html(AlertText.time(story.published())));
                String terms = story.evidence().stream().map(MailText::term).distinct().collect(Collectors.joining(", "));
                if (!terms.isEmpty()) {
                    out.append("<br><small>matched: ").append(html(terms)).append("</small>");
                }
                out.append("</li>");
            }
            out.append("</ol>");
        }
        if (d.level() == Level.NORMAL) {
            out.append("<p>The topic is back to normal.</p>");
        }
        return out.append("</body></html>").toString();
    }

    /** Throws unless {@code address} is one plain, strictly valid e-mail address (no name, no list, no CR/LF). */
    static void requireAddress(String key, String address) {
        if (address == null || address.chars().anyMatch(c -> c < ' ' || c == 0x7f) || address.contains(",")) {
            throw new IllegalArgumentException(key + ": expected one e-mail address");
        }
        try {
            new InternetAddress(address, true).validate();
        } catch (AddressException e) {
            throw new IllegalArgumentException(key + ": expected an e-mail address, found '" + address + "' (" + e.getMessage() + ")");
        }
    }

    private static String term(Evidence e) {
        return e.rule() + "=" + e.term() + " (" + e.field().wireName() + ")";
    }

    private static boolean isHttp(String url) {
        String u = url.strip().toLowerCase(Locale.ROOT);
        return (u.startsWith("http://") || u.startsWith("https://")) && u.chars().noneMatch(c -> c <= ' ');
    }
}

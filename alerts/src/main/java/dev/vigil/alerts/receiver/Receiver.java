package dev.vigil.alerts.receiver;

import dev.vigil.model.Delivery;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where alerts can go, as configured: one record per kind. Secrets (URLs with tokens, signing
 * keys, passwords) are {@link Secret}s, so printing a receiver never shows them.
 */
public sealed interface Receiver permits Receiver.Console, Receiver.Log, Receiver.Webhook, Receiver.Slack, Receiver.Email {

    ReceiverName name();

    Delivery.Channel kind();

    /** Timeout of one attempt and the pace of attempts. */
    Pacing pacing();

    /**
     * How one receiver is paced.
     *
     * @param timeout    how long one attempt may take
     * @param perSecond  attempts per second at most, so a backlog drains without flooding the receiver
     */
    record Pacing(Duration timeout, double perSecond) {

        public static final Pacing DEFAULT = new Pacing(Duration.ofSeconds(10), 10);

        public Pacing {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: expected a positive duration, found " + timeout);
            }
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("rate: expected a positive number per second, found " + perSecond);
            }
        }
    }

    /** Prints each alert as a readable block on the process's standard output. */
    record Console(ReceiverName name) implements Receiver {
        public Console {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Delivery.Channel kind() {
            return Delivery.Channel.CONSOLE;
        }

        @Override
        public Pacing pacing() {
            return new Pacing(Duration.ofSeconds(10), 1000);
        }
    }

    /** Writes one line per alert to the log (logger {@code vigil.alerts.log}). */
    record Log(ReceiverName name) implements Receiver {
        public Log {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Delivery.Channel kind() {
            return Delivery.Channel.LOG;
        }

        @Override
        public Pacing pacing() {
            return new Pacing(Duration.ofSeconds(10), 1000);
        }
    }

    /**
     * POSTs the alert's JSON, signed per the Standard Webhooks specification.
     *
     * @param url             where to POST (http or https); a secret, since it may carry a token
     * @param signingSecrets  none (unsigned), one, or two during a rotation ({@code whsec_…} each)
     */
    record Webhook(ReceiverName name, Secret url, List<Secret> signingSecrets, Pacing pacing) implements Receiver {
        public Webhook {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(pacing, "pacing");
            signingSecrets = List.copyOf(signingSecrets);
            if (signingSecrets.size() > 2) {
                throw new IllegalArgumentException("secrets: expected at most two (the current one and, during a rotation, the next), found " + signingSecrets.size());
            }
            HttpPost.requireHttpUrl(url);
            signingSecrets.forEach(WebhookSignature::requireValidSecret);
        }

        @Override
        public Delivery.Channel kind() {
            return Delivery.Channel.WEBHOOK;
        }

        /** An unsigned webhook with default pacing, for tests and the {@code --webhook} option. */
        public static Webhook unsigned(ReceiverName name, URI url) {
            return new Webhook(name, new Secret(url.toString(), "--webhook"), List.of(), Pacing.DEFAULT);
        }
    }

    /**
     * Posts to a Slack incoming webhook.
     *
     * @param url the incoming-webhook URL, a secret (it is the token)
     */
    record Slack(ReceiverName name, Secret url, Pacing pacing) implements Receiver {
        public Slack {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(pacing, "pacing");
            HttpPost.requireHttpUrl(url);
        }

        @Override
        public Delivery.Channel kind() {
            return Delivery.Channel.SLACK;
        }
    }

    /**
     * Sends an e-mail (HTML and plain text) over SMTP.
     *
     * @param smtp  the server
     * @param from  sender address
     * @param to    recipients, at least one
     */
    record Email(ReceiverName name, Smtp smtp, String from, List<String> to, Pacing pacing) implements Receiver {
        public Email {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(smtp, "smtp");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(pacing, "pacing");
            to = List.copyOf(to);
            if (to.isEmpty()) {
                throw new IllegalArgumentException("to: expected at least one address");
            }
            MailText.requireAddress("from", from);
            to.forEach(a -> MailText.requireAddress("to", a));
        }

        @Override
        public Delivery.Channel kind() {
            return Delivery.Channel.EMAIL;
        }
    }

    /**
     * An SMTP server.
     *
     * @param host                 host name
     * @param port                 port (25, 465 for smtps, 587 for starttls)
     * @param tls                  how the connection is protected
     * @param username             login, or {@code null} for none
     * @param password             password, or {@code null} for none
     * @param checkServerIdentity  check the server's certificate names its host (keep on)
     * @param plaintextPassword    allow a password with {@code tls: none}, which sends it in clear text
     *                             (only for a relay on the same host); refused otherwise
     */
    record Smtp(String host, int port, Tls tls, String username, Secret password, boolean checkServerIdentity, boolean plaintextPassword) {
        public Smtp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(tls, "tls");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: expected 1 to 65535, found " + port);
            }
            if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("host: expected a host name");
            }
            if ((username == null) != (password == null)) {
                throw new IllegalArgumentException("username and password: expected both or neither");
            }
            if (password != null && tls == Tls.NONE && !plaintextPassword) {
                throw new IllegalArgumentException("password: refused with tls: none, which would send it in clear text;"
                        + " use tls: starttls or smtps, or set allowPlaintextPassword: true for a relay on the same host");
            }
        }
    }

    /** Transport security for SMTP. */
    enum Tls {
        /** Plain text: only for a relay on the same host or in tests. */
        NONE,
        /** Upgrade with STARTTLS, and refuse to send if the server does not offer it. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        SMTPS
    }
}

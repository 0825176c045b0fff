package dev.vigil.alerts.receiver;

import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** A receiver that can take alerts: the console, a webhook, Slack, e-mail, the log. */
public interface Channel extends AutoCloseable {

    /** The receiver's configured name; safe to log (never a URL, which may carry a token). */
    ReceiverName name();

    Delivery.Channel kind();

    /** Delivers one alert, or throws saying whether trying again can help. */
    void deliver(Alert alert) throws DeliveryException;

    @Override
    default void close() {
    }

    /** Builds the channel for a configured receiver; every network channel connects only where the guard allows. */
    static Channel of(Receiver receiver, java.io.PrintStream console, EgressGuard guard) {
        // Java 17 has no pattern switch yet; the sealed interface keeps this list complete
        if (receiver instanceof Receiver.Console c) {
            return new ConsoleChannel(c.name(), console);
        }
        if (receiver instanceof Receiver.Log l) {
            return new LogChannel(l.name());
        }
        if (receiver instanceof Receiver.Webhook w) {
            return new WebhookChannel(w, java.time.Clock.systemUTC(), guard);
        }
        if (receiver instanceof Receiver.Slack s) {
            return new SlackChannel(s, guard);
        }
        if (receiver instanceof Receiver.Email e) {
            return new EmailChannel(e, guard);
        }
        throw new IllegalArgumentException("unknown receiver kind: " + receiver.getClass().getSimpleName());
    }

    /** What a failed attempt means for the next one. */
    enum Failure {
        /** May pass: 5xx, 429, timeouts, refused or reset connections, SMTP 4xx. */
        RETRYABLE,
        /** Will not pass by trying again: other 4xx, 3xx (never followed), SMTP 5xx. */
        PERMANENT,
        /** The receiver is gone for good (HTTP 410): stop sending to it. */
        GONE
    }

    /** A failed delivery attempt; its message is for people and never holds a secret. */
    final class DeliveryException extends Exception {

        private final Failure failure;
        private final transient Duration retryAfter;

        public DeliveryException(Failure failure, String detail) {
            this(failure, detail, null);
        }

        /**
         * No cause is kept and no stack trace taken: the cause's text may hold a URL with a token,
         * and a failed attempt is an expected event, not a bug.
         */
        public DeliveryException(Failure failure, String detail, Duration retryAfter) {
            super(detail, null, false, false);
            this.failure = Objects.requireNonNull(failure, "failure");
            this.retryAfter = retryAfter;
        }

        /**
         * The egress guard refused every address of the receiver's host: permanent (the address
         * will not become public by trying again), named by address and kind, never by URL.
         */
        public static DeliveryException refused(EgressGuard.Refused e) {
            return new DeliveryException(Failure.PERMANENT, "egress refused: " + e.address().getHostAddress() + " is a "
                    + e.category().word() + " address (list it under egress.allow in the routing file to allow it)");
        }

        public Failure failure() {
            return failure;
        }

        /** True for failures that may pass. */
        public boolean retryable() {
            return failure == Failure.RETRYABLE;
        }

        /** The wait the receiver asked for (Retry-After), if it asked. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }
}

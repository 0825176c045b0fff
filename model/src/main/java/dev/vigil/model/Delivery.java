package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one attempt to deliver one alert to one receiver: the value of
 * {@code vigil.deliveries}, keyed by alert id. Also the value of {@code vigil.alerts.dlq}, where
 * {@link #alert()} is set so the alert can be replayed.
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param alertId       the alert's stable id
 * @param receiver      the receiver's configured name (never its URL: that may hold a token)
 * @param channel       the kind of receiver; {@code null} on a dead letter for a record that was
 *                      not a valid alert and so reached no receiver
 * @param attempt       1 for the first attempt
 * @param outcome       what happened
 * @param detail        status code or error, for people; never a secret
 * @param at            when the attempt ended
 * @param alert         the alert itself, only on the dead-letter topic
 */
public record Delivery(int schemaVersion, String alertId, String receiver, Channel channel, int attempt, Outcome outcome, String detail, Instant at, Alert alert) {

    public static final int SCHEMA_VERSION = 1;

    public Delivery {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        detail = Objects.requireNonNullElse(detail, "");
    }

    /** Kinds of receiver. */
    public enum Channel {
        CONSOLE, WEBHOOK, SLACK, EMAIL, LOG;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Attempt outcomes, bounded (usable as a metric tag). */
    public enum Outcome {
        /** The receiver accepted the alert. */
        DELIVERED,
        /** Failed; another attempt follows. */
        RETRY,
        /** Failed for good; the alert went to the dead-letter topic. */
        DEAD_LETTERED,
        /**
         * The receiver answered 410 Gone: it is disabled until the alerts service restarts, and
         * this alert went to the dead-letter topic. An event for operators.
         */
        RECEIVER_DISABLED,
        /** Not sent: an active silence matched the alert; {@code detail} names it and its reason. */
        SILENCED,
        /**
         * Not sent: the receiver was already notified of the same episode at the same level, under
         * another alert id, within the repeat interval; {@code detail} names that alert.
         */
        REPEAT_SUPPRESSED,
        /** No route matched the alert, so no receiver was asked to take it ({@code receiver} is "none"). */
        UNROUTED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

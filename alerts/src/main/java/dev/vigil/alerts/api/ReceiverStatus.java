package dev.vigil.alerts.api;

import java.time.Instant;

/**
 * What {@code GET /api/receivers} shows about a receiver — never its URL or secrets.
 *
 * @param name      the configured name
 * @param kind      webhook, slack, email, log or console
 * @param queued    alerts waiting for it
 * @param state     {@code ok}, {@code failing} (retrying) or {@code disabled} (answered 410 Gone)
 * @param since     when it started failing or was disabled; null when ok
 * @param lastError the last failure, when failing or disabled
 */
public record ReceiverStatus(String name, String kind, int queued, String state, Instant since, String lastError) {
}

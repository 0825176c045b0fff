package dev.vigil.alerts;

import dev.vigil.model.Delivery;

/** Where delivery attempts and dead letters are recorded: {@code vigil.deliveries} and {@code vigil.alerts.dlq}. */
interface Ledger {

    /** Records an attempt or decision; may return before it is durable (the consumer flushes before it commits). */
    void attempt(Delivery delivery);

    /** Writes a dead letter and returns only once it is durable; throws when it could not be written. */
    void deadLetter(Delivery delivery);
}

package dev.vigil.alerts;

import dev.vigil.model.Delivery;

/** Where delivery attempts and dead letters are recorded: {@code vigil.deliveries} and {@code vigil.alerts.dlq}. */
interface Ledger {

    /** Records an attempt or decision; may return before it is durable ({@link #flush()} makes it so). */
    void attempt(Delivery delivery);

    /** Writes a dead letter and returns only once it is durable; throws when it could not be written. */
    void deadLetter(Delivery delivery);

    /** Returns once every attempt recorded so far is durable: the consumer calls it before it commits. */
    void flush();
}

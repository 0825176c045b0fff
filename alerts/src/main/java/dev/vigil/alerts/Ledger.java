package dev.vigil.alerts;

import dev.vigil.model.Delivery;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where delivery attempts and dead letters are recorded: {@code vigil.deliveries},
 * {@code vigil.alerts.dlq}, and the records of {@code vigil.alerts} that are no alert on
 * {@code vigil.alerts.malformed}.
 */
interface Ledger {

    /** Records an attempt or decision; may return before it is durable ({@link #flush()} makes it so). */
    void attempt(Delivery delivery);

    /** Writes a dead letter and returns only once it is durable; throws when it could not be written. */
    void deadLetter(Delivery delivery);

    /**
     * Writes a record of {@code vigil.alerts} that is no alert, as its {@link dev.vigil.model.DeadLetter}
     * (addressed to {@code vigil.alerts.malformed} as this deployment names it), and returns only
     * once it is durable; throws when it could not be written.
     */
    void malformed(ProducerRecord<byte[], byte[]> deadLetter);

    /** Returns once every attempt recorded so far is durable: the consumer calls it before it commits. */
    void flush();
}

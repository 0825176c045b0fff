package dev.vigil.alerts;

import dev.vigil.model.Delivery;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps attempts and dead letters in memory. */
final class RecordingLedger implements Ledger {

    final List<Delivery> attempts = new CopyOnWriteArrayList<>();
    final List<Delivery> deadLetters = new CopyOnWriteArrayList<>();
    final List<ProducerRecord<byte[], byte[]>> malformed = new CopyOnWriteArrayList<>();

    @Override
    public void attempt(Delivery delivery) {
        attempts.add(delivery);
    }

    @Override
    public void deadLetter(Delivery delivery) {
        deadLetters.add(delivery);
    }

    @Override
    public void malformed(ProducerRecord<byte[], byte[]> deadLetter) {
        malformed.add(deadLetter);
    }

    @Override
    public void flush() {
        // nothing buffered: every attempt is in the list already
    }

    List<Delivery.Outcome> outcomes() {
        return attempts.stream().map(Delivery::outcome).toList();
    }
}

package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    static final TopicPartition P0 = new TopicPartition("vigil.alerts", 0);

    @Test
    void commitsOnlyUpToTheFirstUnfinishedRecord() {
        OffsetTracker t = new OffsetTracker();
        OffsetTracker.Entry a = t.track(P0, 10, 2);
        OffsetTracker.Entry b = t.track(P0, 11, 1);
        t.track(P0, 12, 0);

        assertThat(t.committable()).containsEntry(P0, new OffsetAndMetadata(10));
        t.done(b);
        assertThat(t.committable()).containsEntry(P0, new OffsetAndMetadata(10));
        t.done(a);
        assertThat(t.committable()).containsEntry(P0, new OffsetAndMetadata(10));
        t.done(a);
        assertThat(t.committable()).containsEntry(P0, new OffsetAndMetadata(13));
        assertThat(t.inFlight()).isZero();
    }

    @Test
    void doesNotOfferWhatWasCommittedAgain() {
        OffsetTracker t = new OffsetTracker();
        t.track(P0, 0, 0);
        t.committed(t.committable());
        assertThat(t.committable()).isEmpty();
    }

    @Test
    void forgettingAPartitionCancelsItsOpenRecords() {
        OffsetTracker t = new OffsetTracker();
        OffsetTracker.Entry a = t.track(P0, 5, 1);
        t.forget(List.of(P0));
        assertThat(a.cancelled()).isTrue();
        assertThat(t.inFlight()).isZero();
        t.done(a);
        assertThat(t.committable()).isEmpty();
    }
}

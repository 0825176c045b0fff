package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.DeadLetter;
import dev.vigil.model.Topic;
import dev.vigil.model.TopicName;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What {@code vigil dlq replay} writes back and what it keeps, and which topics {@code --dlq} takes; no broker needed for either. */
class DlqCommandTest {

    static final Instant T0 = Instant.parse("2026-12-02T01:00:00Z");
    static final byte[] GARBAGE = {'{', 0, (byte) 0xff};

    /** A dead letter as a consumer of {@code dlq} reads it. */
    static ConsumerRecord<byte[], byte[]> letter(String dlq, String source, byte[] key, byte[] value) {
        ProducerRecord<byte[], byte[]> r = DeadLetter.record(dlq, new DeadLetter.Source(source, 0, 41), key, value, new RecordHeaders(),
                DeadLetter.Reason.NOT_JSON, "x", T0);
        return new ConsumerRecord<>(dlq, 0, 7, 0L, TimestampType.CREATE_TIME, 0, 0, r.key(), r.value(), r.headers(), Optional.empty());
    }

    static Optional<String> refusal(KafkaConnection kafka, ConsumerRecord<byte[], byte[]> letter) {
        Set<String> vigil = Topics.all().stream().map(t -> kafka.topic(t).name()).collect(Collectors.toSet());
        return DlqCommand.refusal(letter, kafka, vigil);
    }

    static byte[] alert() {
        return Topics.ALERTS.record(new TopicName("venezuela"), AlertDeliveryIT.alert("venezuela", 1)).value();
    }

    @Test
    void aRecordThatIsStillNoAlertIsNotHandedBackToSubscribers() {
        KafkaConnection kafka = KafkaConnection.to("127.0.0.1:9");
        String dlq = Topics.ALERTS_MALFORMED.name();

        assertThat(refusal(kafka, letter(dlq, Topics.ALERTS.name(), null, GARBAGE))).hasValueSatisfying(why ->
                assertThat(why).startsWith("still no alert (not a valid Alert").endsWith("the same bad record"));
        assertThat(refusal(kafka, letter(dlq, Topics.ALERTS.name(), null, null))).hasValueSatisfying(why ->
                assertThat(why).startsWith("still no alert (no value)"));
        assertThat(refusal(kafka, letter(dlq, Topics.ALERTS.name(), "venezuela".getBytes(StandardCharsets.UTF_8), alert()))).isEmpty();
    }

    @Test
    void garbageGoesBackToTheArticlesWhereStreamsDeadLettersItAgain() {
        assertThat(refusal(KafkaConnection.to("127.0.0.1:9"), letter(Topics.ARTICLES_DLQ.name(), Topics.ARTICLES.name(), null, GARBAGE))).isEmpty();
    }

    @Test
    void nothingGoesToADeadLetterTopicAnotherDeploymentsTopicOrFromALetterCutToFit() {
        KafkaConnection kafka = KafkaConnection.to("127.0.0.1:9");
        for (Topic<byte[], byte[]> dlq : Topics.deadLetterTopics()) {
            assertThat(refusal(kafka, letter(dlq.name(), dlq.name(), null, GARBAGE))).contains("no Vigil source topic");
        }
        KafkaConnection staging = kafka.withTopicPrefix("staging.");
        assertThat(refusal(staging, letter("staging." + Topics.ALERTS_MALFORMED.name(), Topics.ALERTS.name(), null, alert()))).contains("no Vigil source topic");
        assertThat(refusal(staging, letter("staging." + Topics.ALERTS_MALFORMED.name(), "staging." + Topics.ALERTS.name(), null, alert()))).isEmpty();
        assertThat(refusal(staging, letter("staging." + Topics.ALERTS_MALFORMED.name(), "staging." + Topics.ALERTS.name(), null, GARBAGE)))
                .hasValueSatisfying(why -> assertThat(why).contains("subscribers of staging.vigil.alerts"));

        ConsumerRecord<byte[], byte[]> longKey = letter(Topics.ARTICLES_DLQ.name(), Topics.ARTICLES.name(), new byte[2000], GARBAGE);
        assertThat(refusal(kafka, longKey)).contains("its key was cut to fit, replaying it would not give the original");
    }

    @Test
    void dlqTakesTheDeadLetterTopicsOnly() {
        CliRun deliveries = CliRun.vigil(Map.of(), "dlq", "list", "--bootstrap-servers", "127.0.0.1:9", "--dlq", Topics.ALERTS_DLQ.name());
        assertThat(deliveries.exit()).isEqualTo(2);
        assertThat(deliveries.err()).contains("--dlq: expected one of [vigil.articles.dlq, vigil.alerts.malformed], found 'vigil.alerts.dlq' "
                + "(vigil.alerts.dlq holds delivery records, not records' bytes: read it with a consumer)");
        CliRun other = CliRun.vigil(Map.of(), "dlq", "replay", "--bootstrap-servers", "127.0.0.1:9", "--dlq", "vigil.articles");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).contains("found 'vigil.articles'").doesNotContain("delivery records");
    }
}

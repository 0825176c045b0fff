package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** What a bad record becomes: the reason read from the failure, the headers, the limits. */
class DeadLetterTest {

    static final Instant T0 = Instant.parse("2026-12-01T23:40:00Z");
    static final DeadLetter.Source SOURCE = new DeadLetter.Source("vigil.articles", 2, 1377);

    static DeadLetter.Reason reasonOf(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try {
            Topics.ARTICLES.value(bytes);
        } catch (SerializationException e) {
            return DeadLetter.Reason.ofReadFailure(bytes, e);
        }
        throw new AssertionError("read as an article: " + json);
    }

    @Test
    void eachBadArticleHasItsReason() {
        assertThat(reasonOf("")).isEqualTo(DeadLetter.Reason.EMPTY);
        assertThat(reasonOf("this is not JSON {")).isEqualTo(DeadLetter.Reason.NOT_JSON);
        assertThat(reasonOf("\u0000\u00ff\u0013")).isEqualTo(DeadLetter.Reason.NOT_JSON);
        assertThat(reasonOf("{\"schemaVersion\":1,\"id\":\"w\",\"feed\":\"f\",\"textOrigin\":\"EXTRACTED\",\"fetched\":{\"no\":1}}"))
                .isEqualTo(DeadLetter.Reason.WRONG_TYPE);
        assertThat(reasonOf("{\"schemaVersion\":1,\"feed\":\"f\",\"textOrigin\":\"EXTRACTED\",\"fetched\":\"2026-11-01T00:00:00Z\"}"))
                .isEqualTo(DeadLetter.Reason.INVALID);
        assertThat(reasonOf("{\"schemaVersion\":2,\"id\":\"f\",\"feed\":\"f\",\"textOrigin\":\"EXTRACTED\",\"fetched\":\"2026-11-01T00:00:00Z\"}"))
                .isEqualTo(DeadLetter.Reason.UNSUPPORTED_SCHEMA);
    }

    @Test
    void aFutureSchemaVersionIsRejectedByName() {
        assertThatThrownBy(() -> new Article(2, new ArticleId("a"), new FeedId("f"), "", "", "", "", Article.TextOrigin.EXTRACTED, null, T0, null))
                .isInstanceOf(UnsupportedSchemaException.class).hasMessage("schemaVersion: expected 1, found 2");
    }

    @Test
    void anAlertOfAnotherSchemaVersionIsRefusedAsUnsupported() {
        String json = new String(Topics.ALERTS.record(new TopicName("venezuela"), JsonSerdeTest.alert()).value(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"schemaVersion\":1");
        for (String version : new String[] {"2", "0"}) {
            byte[] future = json.replace("\"schemaVersion\":1", "\"schemaVersion\":" + version).getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> Topics.ALERTS.value(future)).isInstanceOf(SerializationException.class)
                    .hasMessageContaining("schemaVersion: expected 1, found " + version)
                    .satisfies(e -> assertThat(DeadLetter.Reason.ofReadFailure(future, e)).isEqualTo(DeadLetter.Reason.UNSUPPORTED_SCHEMA));
        }
    }

    @Test
    void theSourceHeadersComeFirstUnchangedAndTheDeadLettersOwnWinByName() {
        RecordHeaders source = new RecordHeaders();
        source.add("trace", new byte[] {1, 2});
        source.add(DeadLetter.REASON, "forged".getBytes(StandardCharsets.UTF_8));
        source.add("none", null);
        ProducerRecord<byte[], byte[]> letter = DeadLetter.record("vigil.alerts.malformed", SOURCE, null, new byte[0], source,
                DeadLetter.Reason.EMPTY, "empty", T0);
        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isEmpty();
        assertThat(header(letter, DeadLetter.REASON)).isEqualTo("empty");
        assertThat(header(letter, DeadLetter.HEADERS)).isEqualTo("3");
        assertThat(DeadLetter.sourceHeaders(letter.headers())).extracting(Header::key, Header::value).containsExactly(
                tuple("trace", new byte[] {1, 2}), tuple(DeadLetter.REASON, "forged".getBytes(StandardCharsets.UTF_8)), tuple("none", null));
        assertThat(DeadLetter.cut(letter.headers())).isEmpty();
        // Streams' dead letters keep none
        ProducerRecord<byte[], byte[]> streams = DeadLetter.record("vigil.articles.dlq", SOURCE, null, null, DeadLetter.Reason.EMPTY, "x", T0);
        assertThat(streams.headers().lastHeader(DeadLetter.HEADERS)).isNull();
        assertThat(DeadLetter.sourceHeaders(streams.headers())).isEmpty();
        assertThat(streams.value()).isNull();
    }

    @Test
    void aKeyOrHeadersTooBigToCarryAreCutOrDroppedAndSaySo() {
        RecordHeaders big = new RecordHeaders();
        big.add("blob", new byte[Topic.MAX_RECORD_BYTES]);
        ProducerRecord<byte[], byte[]> letter = DeadLetter.record("vigil.alerts.malformed", SOURCE, new byte[5000], new byte[10], big,
                DeadLetter.Reason.NOT_JSON, "x", T0);
        assertThat(letter.key()).hasSize(DeadLetter.MAX_MESSAGE_CHARS);
        assertThat(header(letter, DeadLetter.KEY_BYTES)).isEqualTo("5000");
        assertThat(header(letter, DeadLetter.HEADERS)).isEqualTo("0");
        assertThat(header(letter, DeadLetter.HEADERS_BYTES)).isEqualTo(String.valueOf(4 + Topic.MAX_RECORD_BYTES));
        assertThat(letter.headers().lastHeader("blob")).isNull();
        assertThat(letter.value()).hasSize(10);
        assertThat(DeadLetter.cut(letter.headers())).contains("its key and headers were cut to fit");
    }

    @Test
    void headersSayWhereFromAndWhyWithTheBytesUnchanged() {
        byte[] value = {0, 1, 2, (byte) 0xff};
        ProducerRecord<byte[], byte[]> letter = DeadLetter.record("vigil.articles.dlq", SOURCE, "k".getBytes(StandardCharsets.UTF_8), value,
                DeadLetter.Reason.NOT_JSON, "bad\r\nforged: line", T0);
        assertThat(letter.value()).isEqualTo(value);
        assertThat(header(letter, DeadLetter.TOPIC)).isEqualTo("vigil.articles");
        assertThat(header(letter, DeadLetter.PARTITION)).isEqualTo("2");
        assertThat(header(letter, DeadLetter.OFFSET)).isEqualTo("1377");
        assertThat(header(letter, DeadLetter.REASON)).isEqualTo("not_json");
        assertThat(header(letter, DeadLetter.MESSAGE)).isEqualTo("bad\\r\\nforged: line");
        assertThat(header(letter, DeadLetter.AT)).isEqualTo("2026-12-01T23:40:00Z");
        assertThat(letter.headers().lastHeader(DeadLetter.VALUE_BYTES)).isNull();
    }

    @Test
    void aValueTooBigToCarryIsCutToFitAndSaysSo() {
        byte[] value = new byte[1_200_000];
        ProducerRecord<byte[], byte[]> letter = DeadLetter.record("vigil.articles.dlq", SOURCE, new byte[40], value, DeadLetter.Reason.INVALID, "x".repeat(5000), T0);
        int headerBytes = 0;
        for (Header h : letter.headers()) {
            headerBytes += h.key().length() + h.value().length;
        }
        assertThat(letter.key().length + letter.value().length + headerBytes).isLessThanOrEqualTo(Topic.MAX_RECORD_BYTES);
        assertThat(header(letter, DeadLetter.VALUE_BYTES)).isEqualTo("1200000");
        assertThat(DeadLetter.cut(letter.headers())).contains("its value was cut to fit");
        assertThat(header(letter, DeadLetter.MESSAGE)).hasSize(DeadLetter.MAX_MESSAGE_CHARS + 1).endsWith("…");
    }

    @Test
    void messagesAreEscapedAndCutByLogText() {
        assertThat(LogText.escape("a\tb\u001b[31m\u2028c", 100)).isEqualTo("a\\tb\\u001b[31m\\u2028c");
        assertThat(LogText.escape("\n".repeat(10), 2)).isEqualTo("\\n\\n…");
        assertThat(LogText.escape(null, 10)).isEmpty();
    }

    @Test
    void aRecordOverTheLimitIsRefusedBeforeAnyProducerSeesIt() {
        Article fat = new Article(Article.SCHEMA_VERSION, new ArticleId("a"), new FeedId("f"), "", "", "", "", Article.TextOrigin.EXTRACTED, null, T0, null,
                "x".repeat(Topic.MAX_RECORD_BYTES), null);
        assertThat(Topics.ARTICLES.fits(fat.id(), fat)).isFalse();
        assertThatThrownBy(() -> Topics.ARTICLES.record(fat.id(), fat)).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("over Vigil's limit of 1000000 bytes");
    }

    @Test
    void cappingCutsTitleAndTextAndMarksTheArticle() {
        String text = "a".repeat(Article.MAX_TEXT_CHARS - 1) + "\ud83d\ude00" + "tail";
        Article a = new Article(Article.SCHEMA_VERSION, new ArticleId("a"), new FeedId("f"), "", "", "t".repeat(Article.MAX_TITLE_CHARS + 5), text,
                Article.TextOrigin.EXTRACTED, null, T0, null);
        Article capped = a.capped();
        assertThat(capped.truncated()).isTrue();
        assertThat(capped.title()).hasSize(Article.MAX_TITLE_CHARS);
        // never half a surrogate pair
        assertThat(capped.text()).hasSize(Article.MAX_TEXT_CHARS - 1).doesNotContain("\ud83d");
        Article small = new Article(Article.SCHEMA_VERSION, new ArticleId("b"), new FeedId("f"), "", "", "t", "text", Article.TextOrigin.EXTRACTED, null, T0, null);
        assertThat(small.capped()).isSameAs(small);
        assertThat(Topics.ARTICLES.value(Topics.ARTICLES.record(capped.id(), capped).value()).truncated()).isTrue();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

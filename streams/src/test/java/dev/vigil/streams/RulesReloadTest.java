package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import dev.vigil.model.Json;
import dev.vigil.model.RulesRelease;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topics;
import dev.vigil.streams.rules.RulesLoader;
import dev.vigil.streams.scoring.ScoringParameters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule set releases on vigil.rules switch the running topology, and bad ones never do. */
class RulesReloadTest {

    static final Instant T0 = Instant.parse("2025-11-16T12:00:00Z");
    static final String GUYANA_RULES = """
            topics:
              guyana:
                any: [Guyana, Essequibo]
            signals:
              troops:
                weight: 2
                any: [troops, soldiers]
            """;

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<ArticleId, Article> articles;
    private TestInputTopic<String, byte[]> rules;
    private TestOutputTopic<ArticleId, TaggedArticle> tagged;
    private int sent;

    @BeforeEach
    void start() {
        var props = StreamsService.properties(new StreamsSettings("unused:9092", "vigil-test", stateDir, Duration.ofSeconds(30), Map.of()));
        var topology = new VigilTopology(RulesLoader.loadDefault(), ScoringParameters.DEFAULT, new StreamsMetrics(registry), Duration.ofSeconds(30)).build(props);
        driver = new TopologyTestDriver(topology, props, T0);
        articles = driver.createInputTopic(Topics.ARTICLES.name(), Topics.ARTICLES.keySerde().serializer(), Topics.ARTICLES.valueSerde().serializer());
        rules = driver.createInputTopic(Topics.RULES.name(), new StringSerializer(), new ByteArraySerializer());
        tagged = driver.createOutputTopic(Topics.ARTICLES_TAGGED.name(), Topics.ARTICLES_TAGGED.keySerde().deserializer(),
                Topics.ARTICLES_TAGGED.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private TaggedArticle tag(String title) {
        Instant at = T0.plusSeconds(60L * sent);
        Article a = new Article(Article.SCHEMA_VERSION, new ArticleId("a-" + sent++), new FeedId("outlet"), "Outlet", "https://news.example/" + sent,
                title, "", Article.TextOrigin.EXTRACTED, at, at, "en");
        articles.pipeInput(a.id(), a, at);
        return tagged.readValue();
    }

    private static RulesRelease release(int version, String text) {
        return new RulesRelease(RulesRelease.SCHEMA_VERSION, version, RulesLoader.checksum(text), "ana", T0, "try guyana", "guyana.yaml", text);
    }

    private void publish(RulesRelease release) {
        rules.pipeInput(RulesRelease.KEY, Topics.RULES.valueSerde().serializer().serialize(Topics.RULES.name(), release));
    }

    private double meter(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counter() != null ? search.counter().count() : search.gauge().value();
    }

    @Test
    void appliedReleaseSwitchesTheRulesWithoutRestartAndStampsItsVersion() {
        TaggedArticle before = tag("Guyana says troops are ready on the Essequibo border");
        assertThat(before.matches()).isEmpty();
        assertThat(before.rulesVersion()).isEqualTo(RulesLoader.loadDefault().version());

        RulesRelease v1 = release(1, GUYANA_RULES);
        publish(v1);
        TaggedArticle after = tag("Guyana says troops are ready on the Essequibo border");

        assertThat(after.rulesVersion()).isEqualTo(v1.label()).startsWith("v1 sha256:");
        assertThat(after.matches()).singleElement().satisfies(m -> {
            assertThat(m.topic().value()).isEqualTo("guyana");
            assertThat(m.signals()).extracting(s -> s.signal().value()).containsExactly("troops");
        });
        assertThat(meter(StreamsMetrics.RULES_VERSION)).isEqualTo(1.0);
        assertThat(meter(StreamsMetrics.RULES_RELOADS, "result", "applied")).isEqualTo(1.0);
        assertThat(meter(StreamsMetrics.RULES_RELOAD_OK)).isEqualTo(1.0);
        assertThat(meter(StreamsMetrics.RULES_COUNT, "kind", "topic")).isEqualTo(1.0);
    }

    @Test
    void invalidReleaseIsCountedAndTheRulesInForceStay() {
        RulesRelease v1 = release(1, GUYANA_RULES);
        publish(v1);
        String broken = "topics:\n  guyana: {any: []}\nsignals:\n  troops: {weight: lots, any: [troops]}\n";
        publish(release(2, broken));

        TaggedArticle article = tag("Guyana says troops are ready");
        assertThat(article.rulesVersion()).isEqualTo(v1.label());
        assertThat(article.matches()).extracting(m -> m.topic().value()).containsExactly("guyana");
        assertThat(meter(StreamsMetrics.RULES_RELOADS, "result", "rejected")).isEqualTo(1.0);
        assertThat(meter(StreamsMetrics.RULES_RELOAD_OK)).isZero();
        assertThat(meter(StreamsMetrics.RULES_VERSION)).isEqualTo(1.0);
        assertThat(driver.<String, byte[]>getKeyValueStore(VigilTopology.RULES_STORE).get(RulesRelease.KEY))
                .as("only valid releases enter the store").asString(StandardCharsets.UTF_8).contains("\"version\":1");
    }

    @Test
    void recordsThatAreNotReleasesAndTamperedReleasesAreRejected() {
        rules.pipeInput(RulesRelease.KEY, "not json".getBytes(StandardCharsets.UTF_8));
        rules.pipeInput(RulesRelease.KEY, (byte[]) null);
        RulesRelease tampered = new RulesRelease(1, 1, RulesLoader.checksum(GUYANA_RULES), "ana", T0, "", "guyana.yaml", GUYANA_RULES + "# edited\n");
        publish(tampered);

        assertThat(meter(StreamsMetrics.RULES_RELOADS, "result", "rejected")).isEqualTo(3.0);
        assertThat(tag("Maduro warns of US strikes on boats").rulesVersion()).isEqualTo(RulesLoader.loadDefault().version());
    }

    @Test
    void aLaterValidReleaseRecoversAfterARejectedOne() throws Exception {
        publish(release(1, "topics: {x: {any: [x]}}\nsignals: {y: {weight: 0, any: [y]}}\n"));
        assertThat(meter(StreamsMetrics.RULES_RELOAD_OK)).isZero();
        RulesRelease v2 = release(2, GUYANA_RULES);
        rules.pipeInput(RulesRelease.KEY, Json.mapper().writeValueAsBytes(v2));
        assertThat(meter(StreamsMetrics.RULES_RELOAD_OK)).isEqualTo(1.0);
        assertThat(tag("Essequibo soldiers").rulesVersion()).isEqualTo("v2 " + v2.checksum().substring(0, 19));
    }

    @Test
    void releaseThatChangesTheAlertingSectionChangesScoringWithoutRestart() {
        TestOutputTopic<dev.vigil.model.TopicName, dev.vigil.model.Alert> alerts = driver.createOutputTopic(Topics.ALERTS.name(),
                Topics.ALERTS.keySerde().deserializer(), Topics.ALERTS.valueSerde().deserializer());
        // with elevated at 6, one story of weight 2 (x1.5 in the headline) raises nothing
        publish(release(1, GUYANA_RULES));
        tag("Guyana says troops are ready on the Essequibo border");
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(meter(StreamsMetrics.THRESHOLD, "level", "elevated")).isEqualTo(6.0);

        // the same rules with elevated at 2: the next story fires, no restart
        publish(release(2, GUYANA_RULES + "alerting:\n  levels: {elevated: 2, high: 50, critical: 100}\n"));
        tag("Guyana moves soldiers to the Essequibo");
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.data().level()).isEqualTo(dev.vigil.model.Level.ELEVATED);
            assertThat(a.data().thresholds()).containsEntry(dev.vigil.model.Level.ELEVATED, 2.0);
            assertThat(a.data().rulesVersion()).startsWith("v2 ");
            assertThat(a.data().decidedAt()).isNotNull();
        });
        assertThat(meter(StreamsMetrics.THRESHOLD, "level", "elevated")).isEqualTo(2.0);
    }
}

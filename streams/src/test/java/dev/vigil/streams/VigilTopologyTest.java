package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import dev.vigil.model.Level;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topic;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.model.Topics;
import dev.vigil.streams.rules.RulesLoader;
import dev.vigil.streams.scoring.ScoringParameters;
import dev.vigil.streams.scoring.TopicState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilTopologyTest {

    static final Instant T0 = Instant.parse("2025-11-16T12:00:00Z");
    /** The topology's wall clock in these tests: stopped, a day after the first story, so what it stamps is known. */
    static final Instant NOW = T0.plus(Duration.ofDays(1));

    static final List<String[]> ESCALATION = List.of(
            new String[] {"Rubio: US to designate Cartel de los Soles a foreign terrorist organization",
                    "Secretary of State Marco Rubio said the designation of the Venezuelan group led, Washington says, by Nicolás Maduro takes effect on November 24."},
            new String[] {"US military strikes another alleged drug boat in the Caribbean",
                    "The strike on the vessel, the 21st known US strike, killed three people aboard a boat that had left Venezuela, the Pentagon said."},
            new String[] {"World's largest aircraft carrier arrives off Venezuela",
                    "The USS Gerald R. Ford and its escorts, including destroyers and an amphibious assault ship, arrived in the Caribbean as Caracas condemned the deployment."},
            new String[] {"Treasury widens sanctions on Maduro's inner circle",
                    "New sanctions target officials accused of ties to Cartel de los Soles, which the State Department will designate a terrorist organization."},
            new String[] {"Bondi doubles reward for information leading to Maduro's arrest",
                    "The $50 million reward for information leading to the arrest of Nicolás Maduro is the largest the US has offered."},
            new String[] {"Pentagon confirms second strike on a vessel near Venezuela this week",
                    "Military officials said the strike targeted a boat carrying narcotics; Venezuela called it an act of aggression."},
            new String[] {"Carrier strike group begins operations in the Caribbean",
                    "The aircraft carrier's arrival brings the US naval buildup near Venezuela to its largest in decades, with warships and troops deployed."},
            new String[] {"Maduro calls terrorist designation 'a lie' as US warships gather",
                    "The foreign terrorist organization designation of Cartel de los Soles was rejected in Caracas; warships remain offshore."});

    static final List<String[]> DISTRACTORS = List.of(
            new String[] {"Canada Post workers extend labour strike into third week",
                    "The union said the labour strike would continue; the general strike vote passed with 90 percent."},
            new String[] {"Wireless carrier beats earnings estimates",
                    "The carrier added two million subscribers, and its shares rose 4 percent."},
            new String[] {"Venezuelan slugger's strikeouts worry Caracas fans",
                    "The Leones del Caracas hitter struck out three times; talk of a baseball strike looms over the league."},
            new String[] {"Venezuela's Canaima park celebrates its world heritage designation",
                    "Tourism officials in Caracas marked 30 years since the world heritage designation of the park."},
            new String[] {"Airline carrier adds flights to Caracas",
                    "The low-cost carrier will fly to Venezuela twice a week, it said in a statement."});

    static final String APPLICATION_ID = "vigil-test";
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<ArticleId, Article> articles;
    private TestOutputTopic<ArticleId, TaggedArticle> tagged;
    private TestOutputTopic<TopicName, TopicScore> scores;
    private TestOutputTopic<TopicName, Alert> alerts;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        var props = StreamsService.properties(new StreamsSettings("unused:9092", APPLICATION_ID, stateDir, Duration.ofSeconds(30), Map.of()));
        props.put(DeadLetters.CLOCK_CONFIG, CLOCK);
        var topology = new VigilTopology(RulesLoader.loadDefault(), ScoringParameters.DEFAULT, new StreamsMetrics(registry), Duration.ofSeconds(30), "", CLOCK)
                .build(props);
        driver = new TopologyTestDriver(topology, props, T0);
        articles = driver.createInputTopic(Topics.ARTICLES.name(), Topics.ARTICLES.keySerde().serializer(), Topics.ARTICLES.valueSerde().serializer());
        tagged = driver.createOutputTopic(Topics.ARTICLES_TAGGED.name(), Topics.ARTICLES_TAGGED.keySerde().deserializer(), Topics.ARTICLES_TAGGED.valueSerde().deserializer());
        scores = driver.createOutputTopic(Topics.SCORES.name(), Topics.SCORES.keySerde().deserializer(), Topics.SCORES.valueSerde().deserializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), Topics.ALERTS.keySerde().deserializer(), Topics.ALERTS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.ARTICLES_DLQ.name(), Topics.ARTICLES_DLQ.keySerde().deserializer(), Topics.ARTICLES_DLQ.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void publish(String prefix, List<String[]> stories, Duration every) {
        for (int i = 0; i < stories.size(); i++) {
            Instant published = T0.plus(every.multipliedBy(i));
            // each story from its own outlet: independent reporting, no same-outlet discount
            send(prefix + "-" + i, "Outlet " + i, stories.get(i)[0], stories.get(i)[1], published, published.plusSeconds(30));
        }
    }

    private Article send(String id, String outlet, String title, String text, Instant published, Instant fetched) {
        Article a = new Article(Article.SCHEMA_VERSION, new ArticleId(id), new FeedId("outlet"), outlet,
                "https://news.example/" + id.replace('-', '/'), title, text, Article.TextOrigin.EXTRACTED, published, fetched, "en");
        articles.pipeInput(a.id(), a, fetched);
        return a;
    }

    @Test
    void burstOfEscalationRaisesOneAlertPerLevelChange() {
        publish("esc", ESCALATION, Duration.ofMinutes(20));

        List<Alert> raised = alerts.readValuesToList();
        // eight escalating stories in under three hours, five with their signal in the headline (which weighs 1.5×)
        assertThat(raised).extracting(a -> a.data().level()).containsExactly(Level.ELEVATED, Level.HIGH, Level.CRITICAL);
        assertThat(raised).extracting(a -> a.data().transition())
                .containsExactly(Alert.Transition.FIRING, Alert.Transition.ESCALATED, Alert.Transition.ESCALATED);
        assertThat(raised).extracting(Alert::id).doesNotHaveDuplicates();
        assertThat(raised).allSatisfy(a -> assertThat(a.data().topic()).isEqualTo(new TopicName("venezuela")));

        Alert first = raised.get(0);
        assertThat(first.data().score()).isGreaterThanOrEqualTo(6.0);
        assertThat(first.data().stories()).isNotEmpty().allSatisfy(story -> {
            assertThat(story.evidence()).isNotEmpty();
            assertThat(story.url()).startsWith("https://news.example/esc/");
        });
        assertThat(first.data().rulesVersion()).startsWith("sha256:");
        assertThat(tagged.readValuesToList()).hasSize(ESCALATION.size());
        assertThat(scores.readValuesToList()).hasSize(ESCALATION.size()).last().satisfies(s -> assertThat(s.level()).isEqualTo(Level.CRITICAL));
    }

    @Test
    void anArticleOverTheTextCapIsTaggedCutWithEvidenceThatStillPointsAtItsText() {
        String story = ESCALATION.get(1)[1] + " ";
        StringBuilder text = new StringBuilder();
        while (text.length() < Article.MAX_TEXT_CHARS + 50_000) {
            text.append(story);
        }
        send("long-1", "Outlet L", ESCALATION.get(1)[0], text.toString(), T0, T0.plusSeconds(30));

        TaggedArticle t = tagged.readValue();
        assertThat(t.article().truncated()).isTrue();
        assertThat(t.article().text()).hasSize(Article.MAX_TEXT_CHARS).isEqualTo(text.substring(0, Article.MAX_TEXT_CHARS));
        List<dev.vigil.model.Evidence> evidence = t.matches().stream().flatMap(m -> java.util.stream.Stream.concat(m.topicEvidence().stream(),
                m.signals().stream().flatMap(sig -> sig.evidence().stream()))).toList();
        assertThat(evidence).isNotEmpty().allSatisfy(e -> {
            String field = e.field() == dev.vigil.model.Field.TITLE ? t.article().title() : t.article().text();
            assertThat(e.end()).isLessThanOrEqualTo(field.length());
            assertThat(field.substring(e.offset(), e.end())).isNotBlank();
        });
        assertThat(registry.find(StreamsMetrics.TRUNCATED).counter().count()).isEqualTo(1.0);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aTaggedArticleOverTheRecordLimitIsDeadLetteredAndTheNextOneFlows() {
        Article fat = new Article(Article.SCHEMA_VERSION, new ArticleId("fat-1"), new FeedId("outlet"), "Outlet F", "https://news.example/fat",
                ESCALATION.get(0)[0], ESCALATION.get(0)[1], Article.TextOrigin.EXTRACTED, T0, T0.plusSeconds(30), "en",
                "a byline ".repeat(dev.vigil.model.Topic.MAX_RECORD_BYTES / 9), null);
        var traced = new RecordHeaders().add("traceparent", "00-fat-01".getBytes(StandardCharsets.UTF_8));
        articles.pipeInput(new TestRecord<>(fat.id(), fat, traced, T0.plusSeconds(30)));
        send("next-1", "Outlet N", ESCALATION.get(1)[0], ESCALATION.get(1)[1], T0.plusSeconds(60), T0.plusSeconds(90));

        assertThat(tagged.readValuesToList()).extracting(t -> t.article().id().value()).containsExactly("next-1");
        var letter = deadLetters.readRecord();
        assertThat(new String(letter.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("fat-1");
        assertThat(header(letter, dev.vigil.model.DeadLetter.REASON)).isEqualTo("too_large");
        assertThat(header(letter, dev.vigil.model.DeadLetter.TOPIC)).isEqualTo(Topics.ARTICLES.name());
        assertThat(header(letter, dev.vigil.model.DeadLetter.OFFSET)).isEqualTo("0");
        assertThat(header(letter, dev.vigil.model.DeadLetter.MESSAGE)).contains("over the limit of 1000000");
        assertThat(header(letter, dev.vigil.model.DeadLetter.AT)).isEqualTo(NOW.toString());
        // the value is the article as read, cut to fit with its headers
        assertThat(letter.value().length).isLessThan(dev.vigil.model.Topic.MAX_RECORD_BYTES);
        assertThat(header(letter, dev.vigil.model.DeadLetter.VALUE_BYTES)).isNotNull();
        // the source's headers, which the tagged record does not carry, are kept for a replay
        assertThat(dev.vigil.model.DeadLetter.sourceHeaders(letter.headers())).extracting(h -> h.key(), h -> new String(h.value(), StandardCharsets.UTF_8))
                .containsExactly(tuple("traceparent", "00-fat-01"));
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(registry.find(StreamsMetrics.DEAD_LETTERS).tag("reason", "too_large").counter().count()).isEqualTo(1.0);
    }

    private static String header(org.apache.kafka.streams.test.TestRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void distractorsAloneRaiseNothing() {
        publish("dis", DISTRACTORS, Duration.ofMinutes(5));

        assertThat(tagged.readValuesToList()).hasSize(DISTRACTORS.size())
                .allSatisfy(t -> assertThat(t.matches()).allSatisfy(m -> assertThat(m.signals()).isEmpty()));
        assertThat(scores.isEmpty()).isTrue();
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void replayedArticlesDoNotRaiseAgain() {
        publish("esc", ESCALATION, Duration.ofMinutes(20));
        int raised = alerts.readValuesToList().size();
        publish("esc", ESCALATION, Duration.ofMinutes(20));
        assertThat(raised).isEqualTo(3);
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void quietTopicResolvesOnceItsStoriesLeaveTheWindow() {
        publish("esc", ESCALATION.subList(0, 3), Duration.ofMinutes(20));
        assertThat(alerts.readValuesToList()).extracting(a -> a.data().level()).containsExactly(Level.ELEVATED);

        driver.advanceWallClockTime(Duration.ofHours(2));
        assertThat(alerts.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofHours(24));
        List<Alert> later = alerts.readValuesToList();
        assertThat(later).extracting(a -> a.data().transition()).containsExactly(Alert.Transition.RESOLVED);
    }

    static final String WIRE_BODY = "Four people were killed when the US military struck a vessel in the Caribbean on Wednesday, "
            + "Southern Command said in a statement, the second such strike near Venezuela this week and the 22nd since September. "
            + "Officials said the boat was carrying narcotics. Venezuela condemned the attack as an extrajudicial execution "
            + "and said it would raise the matter at the United Nations, where its ambassador called for an emergency session. "
            + "The aircraft carrier USS Gerald R. Ford remained in the area, officials said.";

    @Test
    void slowBuildUpEscalatesStepByStepWithoutResolving() {
        // one story every two hours over fourteen hours: the score climbs through elevated to high
        publish("slow", ESCALATION, Duration.ofHours(2));
        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised).extracting(a -> a.data().level()).containsExactly(Level.ELEVATED, Level.HIGH, Level.CRITICAL);
        // one level at a time, hours apart
        assertThat(Duration.between(raised.get(0).time(), raised.get(2).time())).isGreaterThanOrEqualTo(Duration.ofHours(4));
        List<TopicScore> trail = scores.readValuesToList();
        assertThat(trail).extracting(TopicScore::score).isSorted();
        assertThat(trail.get(trail.size() - 1).window().end()).isEqualTo(T0.plus(Duration.ofHours(14)));
    }

    @Test
    void fortySyndicatedCopiesCountLessThanFiveIndependentStories() {
        for (int i = 0; i < 40; i++) {
            Instant at = T0.plusSeconds(60L * i);
            send("wire-" + i, "Outlet " + i, "Four killed off the Venezuelan coast", "Outlet " + i + " reports. " + WIRE_BODY, at, at.plusSeconds(5));
        }
        TopicScore syndicated = scores.readValuesToList().stream().reduce((a, b) -> b).orElseThrow();
        List<Alert> syndicatedAlerts = alerts.readValuesToList();

        // the same topology, five stories told independently by five outlets
        stop();
        start();
        for (int i = 0; i < 5; i++) {
            Instant at = T0.plusSeconds(60L * i);
            send("own-" + i, "Independent " + i, "Navy report " + i + " from the Caribbean", independentStory(i), at, at.plusSeconds(5));
        }
        TopicScore independent = scores.readValuesToList().stream().reduce((a, b) -> b).orElseThrow();

        assertThat(syndicated.stories()).isEqualTo(1);
        assertThat(syndicated.sources()).isEqualTo(40);
        assertThat(independent.stories()).isEqualTo(5);
        // the same weight per story (strike + carrier in the body = 4): one story from 40 outlets, 4 × (1 + 0.5 ln 40) ≈ 11.4;
        // five stories from five outlets, 5 × 4 = 20
        assertThat(syndicated.score()).isCloseTo(4 * (1 + 0.5 * Math.log(40)), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(independent.score()).isEqualTo(20.0);
        // the third outlet to carry it lifted the one story over the elevated threshold: 4 × (1 + 0.5 ln 3) ≈ 6.2
        assertThat(syndicatedAlerts).singleElement().satisfies(a -> assertThat(a.data().stories()).singleElement().satisfies(story -> {
            assertThat(story.copies()).isEqualTo(3);
            assertThat(story.outlets()).containsExactly("Outlet 0", "Outlet 1", "Outlet 2");
            assertThat(story.breadth()).isCloseTo(1 + 0.5 * Math.log(3), org.assertj.core.data.Offset.offset(1e-9));
        }));
    }

    /** Five boat-strike reports with no sentence in common. */
    static String independentStory(int i) {
        String[] openings = {
            "Navy officials confirmed a strike on a speedboat near the Venezuelan coast late on Monday.",
            "A drone struck a fishing vessel that Washington says belonged to traffickers tied to Caracas.",
            "The Pentagon released grainy footage of a missile strike on a boat in waters north of Venezuela.",
            "Survivors were pulled from the sea after a military strike on a vessel leaving La Guaira, Venezuelan media said.",
            "Lawmakers demanded briefings after the latest boat strike, the fifth this month off Venezuela."};
        String[] details = {
            "Witnesses in Falcón state described a flash on the horizon before dawn.",
            "The administration did not name the group it said operated the craft.",
            "Human rights lawyers in Bogotá questioned whether the crew had been warned.",
            "Oil tankers rerouted around the area for several hours afterwards.",
            "A regional security analyst said the tempo of operations had doubled since October."};
        String[] carriers = {
            "The aircraft carrier Gerald R. Ford was stationed nearby.",
            "An aircraft carrier group watched from the horizon, officials said.",
            "Sailors aboard the aircraft carrier saw the flash, a spokesman said.",
            "The strike was launched from an aircraft carrier, Venezuelan media reported.",
            "It came as an aircraft carrier arrived in the region, lawmakers noted."};
        return openings[i] + " " + carriers[i] + " " + details[i] + " " + ScorerDistinctWords.of("story-" + i);
    }

    /** Filler words unique to one story, so stories differ as independent reports do. */
    static final class ScorerDistinctWords {
        static String of(String seed) {
            java.util.Random random = new java.util.Random(seed.hashCode());
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                out.append("w").append(random.nextInt(1_000_000)).append(' ');
            }
            return out.toString();
        }
    }

    @Test
    void lateArticleWithinTheWindowCountsAndOneFromTheFutureDoesNotStopTheClock() {
        Instant now = T0.plus(Duration.ofHours(10));
        send("future", "Outlet A", ESCALATION.get(0)[0], ESCALATION.get(0)[1], Instant.parse("2099-01-01T00:00:00Z"), now);
        TopicScore afterFuture = scores.readValuesToList().get(0);
        // counted at its fetch time, not in 2099
        assertThat(afterFuture.window().end()).isEqualTo(now);

        // published three hours before the newest story, fetched late: still inside the window, so it counts
        send("late", "Outlet B", ESCALATION.get(1)[0], ESCALATION.get(1)[1], now.minus(Duration.ofHours(3)), now.plusSeconds(60));
        // and an article after the 2099 one is neither dropped nor late
        send("next", "Outlet C", ESCALATION.get(2)[0], ESCALATION.get(2)[1], now.plusSeconds(120), now.plusSeconds(130));

        List<TopicScore> trail = scores.readValuesToList();
        assertThat(trail).extracting(TopicScore::stories).containsExactly(2, 3);
        assertThat(alerts.readValuesToList()).extracting(a -> a.data().level()).containsExactly(Level.ELEVATED);
    }

    @Test
    void articleFromBeforeTheWindowIsNotCounted() {
        Instant now = T0.plus(Duration.ofHours(48));
        send("recent", "Outlet A", ESCALATION.get(0)[0], ESCALATION.get(0)[1], now, now);
        send("stale", "Outlet B", ESCALATION.get(1)[0], ESCALATION.get(1)[1], now.minus(Duration.ofHours(30)), now.plusSeconds(5));
        assertThat(scores.readValuesToList()).extracting(TopicScore::stories).containsExactly(1, 1);
    }

    @Test
    void resentArticleNeverCountsTwiceEvenAfterItsStoryLeftTheWindow() {
        // an undated article counts at its fetch time; re-sent two days later it would look new
        send("undated", "Outlet A", ESCALATION.get(0)[0], ESCALATION.get(0)[1], null, T0);
        send("undated", "Outlet A", ESCALATION.get(0)[0], ESCALATION.get(0)[1], null, T0.plus(Duration.ofDays(2)));
        List<TopicScore> trail = scores.readValuesToList();
        assertThat(trail).hasSize(2);
        assertThat(trail.get(1).stories()).isZero();
        assertThat(trail.get(1).score()).isZero();
    }

    @Test
    void hoveringScoreDoesNotFlapAsTheWallClockSlidesTheWindow() {
        // two stories put the topic at 8 (elevated); one leaves the window, the score falls to 4 only
        // if nothing else arrives; a new story keeps it between the lower bound 4.8 and 6
        send("a", "Outlet A", ESCALATION.get(0)[0], ESCALATION.get(0)[1], T0, T0);
        send("b", "Outlet B", ESCALATION.get(3)[0], ESCALATION.get(3)[1], T0.plus(Duration.ofHours(12)), T0.plus(Duration.ofHours(12)));
        assertThat(alerts.readValuesToList()).extracting(a -> a.data().level()).containsExactly(Level.ELEVATED);
        send("c", "Outlet C", ESCALATION.get(1)[0], ESCALATION.get(1)[1], T0.plus(Duration.ofHours(23)), T0.plus(Duration.ofHours(23)));
        driver.advanceWallClockTime(Duration.ofHours(24).plusMinutes(30));
        // a left the window; b + c still hold the topic above 4.8
        assertThat(alerts.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofHours(12));
        assertThat(alerts.readValuesToList()).extracting(a -> a.data().transition()).containsExactly(Alert.Transition.RESOLVED);
    }

    @Test
    void everyStatefulStepIsNamedSoAddingAStepMovesNoInternalTopic() {
        Set<String> plain = internalNames(new StreamsBuilder());
        StreamsBuilder withExtraStep = new StreamsBuilder();
        // an unnamed step added before Vigil's shifts every generated name
        withExtraStep.stream("unrelated").filter((k, v) -> v != null).mapValues(v -> v).to("unrelated-out");
        assertThat(internalNames(withExtraStep)).isEqualTo(plain);
        assertThat(plain).containsExactlyInAnyOrder("topic-hits-repartition", "topic-state", "seen-articles");
    }

    @Test
    void theInternalTopicsAndStoresKeepTheNamesDeploymentsHave() {
        publish("esc", ESCALATION, Duration.ofMinutes(20));

        // what a running deployment has on its cluster and disk: renaming one loses its state (docs/deploying.md lists them)
        assertThat(driver.producedTopicNames()).filteredOn(t -> t.startsWith(APPLICATION_ID + "-")).containsExactlyInAnyOrder(
                APPLICATION_ID + "-topic-hits-repartition", APPLICATION_ID + "-topic-state-changelog", APPLICATION_ID + "-seen-articles-changelog");
        assertThat(driver.getAllStateStores().keySet()).containsExactlyInAnyOrder("rules", "topic-state", "seen-articles");
    }

    @Test
    void theProductsConfigurationRefusesAStepWithAGeneratedStoreName() {
        var props = StreamsService.properties(new StreamsSettings("unused:9092", APPLICATION_ID, stateDir, Duration.ofSeconds(30), Map.of()));
        assertThat(props).containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        assertThatCode(() -> new VigilTopology(RulesLoader.loadDefault(), ScoringParameters.DEFAULT, new StreamsMetrics(new SimpleMeterRegistry()),
                Duration.ofSeconds(30)).build(props)).doesNotThrowAnyException();

        StreamsBuilder withUnnamedCount = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
        new VigilTopology(RulesLoader.loadDefault(), ScoringParameters.DEFAULT, new StreamsMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(30))
                .addTo(withUnnamedCount);
        withUnnamedCount.stream("unrelated").groupByKey().count();
        assertThatThrownBy(withUnnamedCount::build).isInstanceOf(TopologyException.class).hasMessageContaining("has not been named");
    }

    @Test
    void whatTheStepsStampComesFromTheTopologysClock() {
        TestOutputTopic<TopicName, dev.vigil.streams.scoring.TopicHit> hits = driver.createOutputTopic(APPLICATION_ID + "-" + VigilTopology.TOPIC_HITS
                + "-repartition", Topics.SCORES.keySerde().deserializer(), VigilTopology.HIT_SERDE.deserializer());
        publish("esc", ESCALATION, Duration.ofMinutes(20));

        assertThat(hits.readValuesToList()).hasSize(ESCALATION.size()).allSatisfy(hit -> assertThat(hit.taggedAt()).isEqualTo(NOW));
        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised).hasSize(3).allSatisfy(alert -> assertThat(alert.data().decidedAt()).isEqualTo(NOW));
        // tagged and decided at the same stopped instant
        var taggedToAlert = registry.find(StreamsMetrics.TAGGED_TO_ALERT).timer();
        assertThat(taggedToAlert.count()).isEqualTo(3);
        assertThat(taggedToAlert.max(java.util.concurrent.TimeUnit.NANOSECONDS)).isZero();
        // publication to tagging: NOW less each story's publication time
        Duration ages = Duration.ZERO;
        for (int i = 0; i < ESCALATION.size(); i++) {
            ages = ages.plus(Duration.between(T0.plus(Duration.ofMinutes(20).multipliedBy(i)), NOW));
        }
        var publishedToTagged = registry.find(StreamsMetrics.PUBLISHED_TO_TAGGED).timer();
        assertThat(publishedToTagged.count()).isEqualTo(ESCALATION.size());
        assertThat(publishedToTagged.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(ages.toSeconds());
        assertThat(publishedToTagged.max(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Duration.between(T0, NOW).toSeconds());
    }

    private static Set<String> internalNames(StreamsBuilder builder) {
        new VigilTopology(RulesLoader.loadDefault(), ScoringParameters.DEFAULT, new StreamsMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(30))
                .addTo(builder);
        Set<String> names = new java.util.TreeSet<>();
        for (TopologyDescription.Subtopology sub : builder.build().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    names.addAll(p.stores());
                }
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    s.topicSet().stream().filter(t -> t.endsWith("-repartition")).forEach(names::add);
                }
            }
        }
        return names;
    }

    @Test
    void aBusyTopicKeepsItsStateUnderTheRecordLimitAndCountsTheStoriesItDrops() {
        int sent = 1_050;
        for (int i = 0; i < sent; i++) {
            // eight escalating stories told over and over, each time by another outlet in words of its own
            java.util.Random random = new java.util.Random(i);
            StringBuilder words = new StringBuilder();
            for (int w = 0; w < 60; w++) {
                words.append(" w").append(random.nextInt(1_000_000));
            }
            Instant published = T0.plus(Duration.ofMinutes(i));
            String[] story = ESCALATION.get(i % ESCALATION.size());
            send("busy-" + i, "Outlet " + i, story[0], story[1] + words, published, published.plusSeconds(30));
        }

        TopicName venezuela = new TopicName("venezuela");
        TopicState state = driver.<TopicName, TopicState>getKeyValueStore(VigilTopology.TOPIC_STATE_STORE).get(venezuela);
        int bytes = TopicState.SERDE.serializer().serialize(Topics.SCORES.name(), state).length;
        assertThat(bytes).isLessThanOrEqualTo(Topic.MAX_RECORD_BYTES);
        double newStories = registry.find(StreamsMetrics.TOPIC_HITS).tag("topic", "venezuela").tag("outcome", "new_story").counter().count();
        assertThat(newStories).isGreaterThan(1_000);
        assertThat(state.stories()).hasSize(1_000);
        assertThat(registry.find(StreamsMetrics.STORIES_DROPPED).tag("topic", "venezuela").counter().count()).isEqualTo(newStories - 1_000);
        assertThat(scores.readValuesToList()).last().satisfies(s -> {
            assertThat(s.level()).isEqualTo(Level.CRITICAL);
            assertThat(s.stories()).isEqualTo(1_000);
        });
    }
}

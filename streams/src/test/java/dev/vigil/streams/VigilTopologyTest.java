package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import dev.vigil.model.Level;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.model.Topics;
import dev.vigil.streams.rules.RulesLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilTopologyTest {

    static final Instant T0 = Instant.parse("2025-11-16T12:00:00Z");

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

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<ArticleId, Article> articles;
    private TestOutputTopic<ArticleId, TaggedArticle> tagged;
    private TestOutputTopic<TopicName, TopicScore> scores;
    private TestOutputTopic<TopicName, Alert> alerts;

    @BeforeEach
    void start() {
        var topology = new VigilTopology(RulesLoader.loadDefault(), new StreamsMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(30)).build();
        var props = StreamsService.properties(new StreamsSettings("unused:9092", "vigil-test", stateDir, Duration.ofSeconds(30), Map.of()));
        driver = new TopologyTestDriver(topology, props, T0);
        articles = driver.createInputTopic(Topics.ARTICLES.name(), Topics.ARTICLES.keySerde().serializer(), Topics.ARTICLES.valueSerde().serializer());
        tagged = driver.createOutputTopic(Topics.ARTICLES_TAGGED.name(), Topics.ARTICLES_TAGGED.keySerde().deserializer(), Topics.ARTICLES_TAGGED.valueSerde().deserializer());
        scores = driver.createOutputTopic(Topics.SCORES.name(), Topics.SCORES.keySerde().deserializer(), Topics.SCORES.valueSerde().deserializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), Topics.ALERTS.keySerde().deserializer(), Topics.ALERTS.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void publish(String prefix, List<String[]> stories, Duration every) {
        for (int i = 0; i < stories.size(); i++) {
            Instant published = T0.plus(every.multipliedBy(i));
            String url = "https://news.example/" + prefix + "/" + i;
            Article a = new Article(Article.SCHEMA_VERSION, new ArticleId(prefix + "-" + i), new FeedId("outlet-" + (i % 3)), "Outlet " + (i % 3),
                    url, stories.get(i)[0], stories.get(i)[1], Article.TextOrigin.EXTRACTED, published, published.plusSeconds(30), "en");
            articles.pipeInput(a.id(), a, published.plusSeconds(30));
        }
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
}

package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.Alert;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.Evidence;
import dev.vigil.model.Field;
import dev.vigil.model.Json;
import dev.vigil.model.Level;
import dev.vigil.model.RuleId;
import dev.vigil.model.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A busy topic's state, serialised with the store's own serde, stays under Kafka's record limit. */
class BoundedStateTest {

    private final Scorer scorer = new Scorer(ScorerTest.POLICY, ScoringParameters.DEFAULT);
    private TopicState state;
    private Scorer.Step last;
    private final List<Alert> alerts = new ArrayList<>();
    private int dropped;
    private int dropLogs;
    private int largest;

    private void hit(String id, String outlet, double weight, Instant at, String signature, String title, String url, List<Evidence> evidence) {
        TopicHit hit = new TopicHit(new ArticleId(id), title, url, outlet, at, weight, List.of(new RuleId("strike")), evidence, "v1", signature);
        last = scorer.onHit(state, ScorerTest.TOPIC, hit, false);
        state = last.state();
        last.alert().ifPresent(alerts::add);
        dropped += last.dropped();
        dropLogs += last.firstDropOfEpisode() ? 1 : 0;
        largest = Math.max(largest, TopicState.SERDE.serializer().serialize("vigil-streams-topic-state-changelog", state).length);
    }

    private static List<Evidence> evidence(String id) {
        return IntStream.range(0, TopicHit.MAX_EVIDENCE)
                .mapToObj(i -> new Evidence(new RuleId("strike"), "strike*", Field.BODY, 100 * i, ("…struck the vessel " + id + " ").repeat(8), 100 * i + 6))
                .toList();
    }

    @Test
    void busyTopicWithWireStoriesStaysUnderTheRecordLimitAndScoresInFull() {
        // 300 stories of its own, each from its own outlet, with long headlines, links and full evidence
        int own = 300;
        for (int i = 0; i < own; i++) {
            String id = "own-" + i;
            hit(id, "Outlet " + id, 4, ScorerTest.T0.plusSeconds(i), StorySignature.of("title " + id, ScorerTest.distinct(id)),
                    ("Headline of story " + i + " ").repeat(15), "https://news.example/" + "section/".repeat(60) + i, evidence(id));
        }
        // and 10 wire stories, each run by 150 outlets of its own
        int wires = 10;
        int outlets = 150;
        for (int w = 0; w < wires; w++) {
            String body = ScorerTest.distinct("wire-" + w);
            for (int o = 0; o < outlets; o++) {
                String id = "wire-" + w + "-" + o;
                hit(id, "Wire " + w + " outlet " + o, 4, ScorerTest.T0.plusSeconds(own + w * outlets + o), StorySignature.of("wire " + w, body),
                        "Wire headline " + w, "https://wire.example/" + id, evidence(id));
            }
        }

        assertThat(largest).isLessThanOrEqualTo(Topic.MAX_RECORD_BYTES);
        // nothing had to be dropped: compacting the weaker stories was enough, so the score is exact
        assertThat(dropped).isZero();
        assertThat(state.stories()).hasSize(own + wires);
        double expected = own * 4 + wires * 4 * (1 + 0.5 * Math.log(outlets));
        assertThat(last.score().score()).isCloseTo(expected, within(1e-9));
        assertThat(last.score().level()).isEqualTo(Level.CRITICAL);
        assertThat(last.score().sources()).isGreaterThanOrEqualTo(outlets);
        assertThat(state.stories().stream().filter(s -> s.id().value().startsWith("wire-"))).allSatisfy(s -> {
            assertThat(s.copyCount()).isEqualTo(outlets);
            assertThat(s.outletCount()).isEqualTo(outlets);
            assertThat(s.copies()).hasSizeLessThanOrEqualTo(Story.MAX_COPIES);
        });
        // the stories an alert shows still carry their evidence
        Alert alert = alerts.get(alerts.size() - 1);
        assertThat(alert.data().stories()).isNotEmpty().allSatisfy(s -> assertThat(s.evidence()).isNotEmpty());
    }

    @Test
    void pastTheCeilingTheWeakestStoriesAreDroppedAndLoggedOncePerEpisode() {
        int stories = Scorer.MAX_WINDOW_STORIES + 200;
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < stories; i++) {
            String id = "s-" + i;
            double weight = 1 + (i * 7919 % 13);
            weights.add(weight);
            hit(id, "Outlet " + id, weight, ScorerTest.T0.plusSeconds(i), StorySignature.of("title " + id, ScorerTest.distinct(id)), "title " + id,
                    "https://x.example/" + id, List.of());
        }
        assertThat(state.stories()).hasSize(Scorer.MAX_WINDOW_STORIES);
        assertThat(dropped).isEqualTo(200);
        assertThat(dropLogs).isEqualTo(1);
        assertThat(state.dropped()).isEqualTo(200);
        assertThat(largest).isLessThanOrEqualTo(Topic.MAX_RECORD_BYTES);
        // each story is its own outlet's only one: the strongest thousand are kept, and scored as before
        double strongest = weights.stream().sorted(Comparator.reverseOrder()).limit(Scorer.MAX_WINDOW_STORIES).mapToDouble(Double::doubleValue).sum();
        assertThat(last.score().score()).isCloseTo(strongest, within(1e-6));
        assertThat(last.score().level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void storiesWithFieldsAtTheirCapsAreShedUntilTheStateFits() {
        // every field at the cap ingest and streams cut articles to: a few dozen such stories exceed a record
        String title = "T".repeat(Article.MAX_TITLE_CHARS);
        String url = "https://x.example/" + "u".repeat(Article.MAX_URL_CHARS - 18);
        Map<String, Double> weights = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            String id = "big-" + i;
            weights.put(id, 1.0 + i % 5);
            String outlet = ("Outlet " + i + " ").repeat(Article.MAX_TITLE_CHARS).substring(0, Article.MAX_TITLE_CHARS);
            hit(id, outlet, 1 + i % 5, ScorerTest.T0.plusSeconds(i), StorySignature.of(id, ScorerTest.distinct(id)), title, url, evidence(id));
        }
        assertThat(largest).isLessThanOrEqualTo(Topic.MAX_RECORD_BYTES);
        assertThat(dropped).isPositive();
        assertThat(state.stories()).hasSize(150 - dropped);
        // the weakest went first: every story left weighs at least as much as any dropped one could have
        List<String> kept = state.stories().stream().map(s -> s.id().value()).toList();
        double weakestKept = kept.stream().mapToDouble(weights::get).min().orElseThrow();
        double strongestDropped = weights.entrySet().stream().filter(e -> !kept.contains(e.getKey())).mapToDouble(Map.Entry::getValue).max().orElseThrow();
        assertThat(strongestDropped).isLessThanOrEqualTo(weakestKept);
        assertThat(state.stories().stream().mapToDouble(Story::weight).max().orElseThrow()).isEqualTo(5);
        assertThat(last.score().level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void stateWrittenBeforeTheCapsReadsWithItsCountsDerivedFromItsCopies() throws Exception {
        String body = ScorerTest.distinct("wire");
        for (int o = 0; o < 3; o++) {
            hit("wire-" + o, "Outlet " + o, 4, ScorerTest.T0.plusSeconds(o), StorySignature.of("wire", body), "Wire", "https://wire.example/" + o, evidence("w"));
        }
        assertThat(TopicState.SERDE.fromBytes(TopicState.SERDE.toBytes(state))).isEqualTo(state);

        // the same state as the store held it before: no outlets, counts or dropped
        ObjectNode json = (ObjectNode) Json.mapper().readTree(TopicState.SERDE.toBytes(state));
        json.remove("dropped");
        json.withArray("stories").forEach(story -> ((ObjectNode) story).remove(List.of("outlets", "copyCount", "outletCount")));
        Story read = TopicState.SERDE.fromBytes(Json.mapper().writeValueAsBytes(json)).stories().get(0);
        assertThat(read.outlets()).containsExactly("Outlet 0", "Outlet 1", "Outlet 2");
        assertThat(read.copyCount()).isEqualTo(3);
        assertThat(read.outletCount()).isEqualTo(3);
    }
}

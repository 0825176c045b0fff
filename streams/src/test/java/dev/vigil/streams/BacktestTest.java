package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import dev.vigil.streams.rules.RulesLoader;
import dev.vigil.streams.scoring.ScoringParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

    @TempDir
    Path dir;

    private Path file(List<String> lines) throws IOException {
        return Files.write(dir.resolve("articles.jsonl"), lines);
    }

    private static String line(String id, String title, String text, String published, String source) {
        return "{\"id\":\"" + id + "\",\"url\":\"https://x.example/" + id + "\",\"title\":\"" + title + "\",\"text\":\"" + text
                + "\",\"published\":" + (published == null ? "null" : "\"" + published + "\"") + ",\"source\":\"" + source + "\"}";
    }

    @Test
    void reportsBadLinesWithTheirNumberAndKeepsTheRestInEventTimeOrder() throws IOException {
        Backtest.Input input = Backtest.read(file(List.of(
                line("b", "Second", "x", "2025-11-16T12:00:00Z", "A"),
                "{not json",
                line("a", "First", "x", "2025-11-16T10:00:00Z", "B"),
                line("c", "Undated", "x", null, "C"),
                "[1,2]",
                line("d", "Bad date", "x", "yesterday", "D"),
                "",
                line("e", "", "", "2025-11-16T13:00:00Z", "E"))));
        assertThat(input.articles()).extracting(a -> a.id().value()).containsExactly("a", "c", "b");
        // an undated article takes the time of the dated one before it in the file
        assertThat(input.articles().get(1).fetched()).isEqualTo(Instant.parse("2025-11-16T10:00:00Z"));
        assertThat(input.problems()).extracting(Backtest.Problem::line).containsExactly(2, 5, 6, 8);
        assertThat(input.problems().get(2).reason()).contains("published: expected an ISO-8601 time").contains("yesterday");
        assertThat(input.problems().get(3).reason()).contains("nothing to match");
    }

    @Test
    void sameTopologyRaisesTheSameAlertsAsLiveAndShowsTheWholeEpisode() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < VigilTopologyTest.ESCALATION.size(); i++) {
            String[] story = VigilTopologyTest.ESCALATION.get(i);
            lines.add(line("esc-" + i, story[0].replace("\"", "'"), story[1].replace("\"", "'"),
                    Instant.parse("2025-11-16T12:00:00Z").plus(Duration.ofMinutes(20L * i)).toString(), "Outlet " + (i % 3)));
        }
        for (int i = 0; i < VigilTopologyTest.DISTRACTORS.size(); i++) {
            String[] story = VigilTopologyTest.DISTRACTORS.get(i);
            lines.add(line("dis-" + i, story[0].replace("\"", "'"), story[1].replace("\"", "'"), "2025-11-16T13:0" + i + ":00Z", "Other"));
        }
        Backtest.Input input = Backtest.read(file(lines));
        Backtest.Result result = new Backtest(RulesLoader.loadDefault(), ScoringParameters.DEFAULT)
                .run(input.articles(), Duration.ofHours(30), dir.resolve("state"), n -> { });

        assertThat(result.articles()).isEqualTo(13);
        assertThat(result.alerts()).extracting(a -> a.data().transition()).first().isEqualTo(Alert.Transition.FIRING);
        assertThat(result.alerts()).extracting(a -> a.data().level()).startsWith(Level.ELEVATED, Level.HIGH).endsWith(Level.NORMAL);
        assertThat(result.alerts()).extracting(Alert::id).doesNotHaveDuplicates();
        assertThat(result.finalScores().get(new TopicName("venezuela")).score()).isZero();
        // the clock followed event time: the last alert resolves about a day after the last story
        Instant lastStory = Instant.parse("2025-11-16T14:20:00Z");
        assertThat(result.alerts().get(result.alerts().size() - 1).time()).isBetween(lastStory.plus(Duration.ofHours(20)), lastStory.plus(Duration.ofHours(25)));
    }
}

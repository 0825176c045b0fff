package dev.vigil.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import dev.vigil.model.Json;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.model.Topics;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.scoring.ScoringParameters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Runs the very topology the streams service runs over a file of past articles, in event-time
 * order, with the wall clock following event time, and returns every alert it would have raised.
 * This is how an operator tries a rule change on last month's news before applying it.
 *
 * <p>Input: JSON Lines with {@code id, url, title, text, published, source} per article
 * ({@code id} optional: Vigil's identity rule applies; {@code published} ISO-8601, optional: an
 * undated article takes the time of the dated one before it in the file).
 */
public final class Backtest {

    /** How often the scorer slides windows while a backtest's clock advances. */
    private static final Duration TICK = Duration.ofMinutes(1);

    private final RuleSet rules;
    private final ScoringParameters scoring;

    public Backtest(RuleSet rules, ScoringParameters scoring) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.scoring = Objects.requireNonNull(scoring, "scoring");
    }

    /** A line that could not be used, and why. */
    public record Problem(int line, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    /** What a file held: the usable articles in event-time order, and the problems. */
    public record Input(List<Article> articles, List<Problem> problems) {
        public Input {
            articles = List.copyOf(articles);
            problems = List.copyOf(problems);
        }
    }

    /**
     * The outcome: every alert in order, each topic's last score, how many articles went in.
     */
    public record Result(List<Alert> alerts, Map<TopicName, TopicScore> finalScores, int articles) {
        public Result {
            alerts = List.copyOf(alerts);
            finalScores = Map.copyOf(finalScores);
        }
    }

    /** Reads and checks a JSON Lines file of articles; never throws for a bad line, reports it. */
    public static Input read(Path file) {
        List<Article> articles = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Instant previous = null;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Article a = article(Json.mapper().readTree(line), previous);
                    previous = a.published() != null ? a.published() : previous;
                    articles.add(a);
                } catch (IOException | IllegalArgumentException e) {
                    problems.add(new Problem(n, firstLine(e.getMessage())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        // stable: articles at the same instant keep their file order
        articles.sort(Comparator.comparing(Article::fetched));
        return new Input(articles, problems);
    }

    private static Article article(JsonNode node, Instant previous) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with id, url, title, text, published, source");
        }
        String url = text(node, "url");
        String title = text(node, "title");
        String body = text(node, "text");
        if (title.isEmpty() && body.isEmpty()) {
            throw new IllegalArgumentException("neither title nor text: nothing to match");
        }
        Optional<Instant> published = Optional.of(text(node, "published")).filter(s -> !s.isEmpty()).map(Backtest::instant);
        Instant at = published.or(() -> Optional.ofNullable(previous)).orElseThrow(() ->
                new IllegalArgumentException("no published time, and no dated article before it to take the time from"));
        String id = text(node, "id");
        ArticleId articleId = id.isEmpty() ? ArticleId.of(Optional.of(url), Optional.empty(), title, published.orElse(null)) : new ArticleId(id);
        String source = text(node, "source");
        return new Article(Article.SCHEMA_VERSION, articleId, new FeedId("backtest"), source.isEmpty() ? "unknown" : source, url, title, body,
                Article.TextOrigin.EXTRACTED, published.orElse(null), at, null);
    }

    private static Instant instant(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("published: expected an ISO-8601 time such as 2025-11-16T10:00:00Z, found '" + s + "'");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText().strip();
    }

    /**
     * Runs the articles through the topology.
     *
     * @param then       how far to let the clock run past the last article (to see what resolves)
     * @param stateDir   an empty directory for the run's state stores
     * @param progress   told the number of articles done, every 1,000
     */
    public Result run(List<Article> articles, Duration then, Path stateDir, IntConsumer progress) {
        if (articles.isEmpty()) {
            return new Result(List.of(), Map.of(), 0);
        }
        var props = StreamsService.properties(new StreamsSettings("backtest:9092", "vigil-backtest", stateDir, TICK, Map.of()));
        var topology = new VigilTopology(rules, scoring, new StreamsMetrics(new SimpleMeterRegistry()), TICK).build(props);
        Instant clock = articles.get(0).fetched();
        List<Alert> alerts = new ArrayList<>();
        Map<TopicName, TopicScore> last = new LinkedHashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, clock)) {
            TestInputTopic<ArticleId, Article> in = driver.createInputTopic(Topics.ARTICLES.name(),
                    Topics.ARTICLES.keySerde().serializer(), Topics.ARTICLES.valueSerde().serializer());
            TestOutputTopic<TopicName, Alert> out = driver.createOutputTopic(Topics.ALERTS.name(),
                    Topics.ALERTS.keySerde().deserializer(), Topics.ALERTS.valueSerde().deserializer());
            TestOutputTopic<TopicName, TopicScore> scores = driver.createOutputTopic(Topics.SCORES.name(),
                    Topics.SCORES.keySerde().deserializer(), Topics.SCORES.valueSerde().deserializer());
            int done = 0;
            for (Article a : articles) {
                if (a.fetched().isAfter(clock)) {
                    advance(driver, Duration.between(clock, a.fetched()), out, scores, alerts, last);
                    clock = a.fetched();
                }
                in.pipeInput(a.id(), a, a.fetched());
                drain(out, scores, alerts, last);
                if (++done % 1000 == 0) {
                    progress.accept(done);
                }
            }
            if (!then.isZero() && !then.isNegative()) {
                advance(driver, then, out, scores, alerts, last);
            }
        }
        return new Result(alerts, last, articles.size());
    }

    /** Moves the clock one tick at a time, so windows slide (and levels fall) when they would have. */
    private static void advance(TopologyTestDriver driver, Duration by, TestOutputTopic<TopicName, Alert> out,
            TestOutputTopic<TopicName, TopicScore> scores, List<Alert> alerts, Map<TopicName, TopicScore> last) {
        Duration left = by;
        while (left.compareTo(Duration.ZERO) > 0) {
            Duration step = left.compareTo(TICK) < 0 ? left : TICK;
            driver.advanceWallClockTime(step);
            left = left.minus(step);
        }
        drain(out, scores, alerts, last);
    }

    private static void drain(TestOutputTopic<TopicName, Alert> out, TestOutputTopic<TopicName, TopicScore> scores, List<Alert> alerts,
            Map<TopicName, TopicScore> last) {
        alerts.addAll(out.readValuesToList());
        scores.readKeyValuesToList().forEach(kv -> last.put(kv.key, kv.value));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

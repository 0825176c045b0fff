package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RulesCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<JsonNode> outputLines() throws IOException {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        return lines;
    }

    @Test
    void validateSaysValidWithItsChecksum() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "topics: {t: {any: [a]}}\nsignals: {s: {weight: 1, any: [b]}}\n");
        assertThat(vigil("rules", "validate", rules.toString())).isZero();
        assertThat(out.toString()).contains(rules + ": valid, 1 topics, 1 signals").contains("sha256:");
    }

    @Test
    void validateListsEveryProblemWithFileLineAndColumn() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), String.join("\n",
                "topics:",
                "  t: {any: []}",
                "signals:",
                "  s: {weight: 0, any: [\"/a+/\"], colour: red}",
                "  s2: {weight: 1, any: {fr: [grève]}}",
                ""));
        assertThat(vigil("rules", "validate", rules.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(
                rules + ":2:12: topics.t.any: expected at least one term, found an empty list",
                rules + ":4:33: signals.s.colour: unknown key; expected one of any, fields, near, not, weight",
                rules + ":4:15: signals.s.weight: expected a weight above 0 and at most 100, found 0.0",
                rules + ":4:24: signals.s.any[0]: term '/a+/': regular expression repeats without bound ('+')",
                rules + ":5:29: signals.s2.any.fr: unknown language 'fr'");
    }

    @Test
    void testPrintsOneJsonLinePerArticleWithEvidence() throws IOException {
        assertThat(vigil("rules", "test", "--title", "US strikes another drug boat off Venezuela", "--text", "The Pentagon said three died.")).isZero();
        JsonNode line = outputLines().get(0);
        assertThat(line.get("id").asText()).isEqualTo("text");
        assertThat(line.get("topics")).extracting(JsonNode::asText).containsExactly("venezuela");
        assertThat(line.get("signals")).extracting(JsonNode::asText).containsExactly("strike");
        assertThat(line.get("score").asDouble()).isEqualTo(3.0);
        JsonNode evidence = line.get("evidence").get(1);
        assertThat(evidence.get("rule").asText()).isEqualTo("strike");
        assertThat(evidence.get("term").asText()).isEqualTo("strike");
        assertThat(evidence.get("field").asText()).isEqualTo("title");
        assertThat(evidence.get("offset").asInt()).isEqualTo(3);
        assertThat(evidence.get("snippet").asText()).contains("US strikes another drug boat");
        assertThat(err.toString()).contains("1 article, venezuela 1 (1 escalating)");
    }

    @Test
    void testReadsArticleLinesAndReportsUnreadableOnesWithLineAndColumn() throws IOException {
        Path articles = Files.writeString(dir.resolve("articles.jsonl"), String.join("\n",
                "{\"id\":\"a1\",\"url\":\"https://x.example/1\",\"title\":\"Venezuelan wireless carrier posts earnings\",\"text\":\"\",\"published\":\"2025-11-20T10:00:00Z\",\"source\":\"X\"}",
                "{\"id\":\"a2\",\"title\":\"Aircraft carrier arrives off Venezuela\",\"text\":\"\"}",
                "{\"id\":\"a3\",\"title\": oops}",
                ""), StandardCharsets.UTF_8);
        assertThat(vigil("rules", "test", "--jsonl", articles.toString())).isEqualTo(Vigil.EXIT_FAILED);
        List<JsonNode> lines = outputLines();
        assertThat(lines).extracting(l -> l.get("id").asText()).containsExactly("a1", "a2");
        assertThat(lines.get(0).get("signals")).isEmpty();
        assertThat(lines.get(1).get("signals")).extracting(JsonNode::asText).containsExactly("carrier");
        assertThat(err.toString()).contains(articles + ":3:").contains("not an article")
                .contains("2 articles, venezuela 2 (1 escalating), 1 unreadable line");
    }

    @Test
    void testUsesTheGivenRulesFileAndReadsAPage() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "topics: {guyana: {any: [Essequibo]}}\nsignals: {troops: {weight: 2, any: [soldier]}}\n");
        Path page = Files.writeString(dir.resolve("page.html"), "<html lang=en><head><title>Essequibo</title></head><body><article><h1>Troops mass near the Essequibo</h1><p>"
                + "Soldiers and troops gathered along the river on Monday, officials said, as talks between the two governments stalled for a third week. ".repeat(3)
                + "</p></article></body></html>");
        assertThat(vigil("rules", "test", "--rules", rules.toString(), "--file", page.toString())).isZero();
        JsonNode line = outputLines().get(0);
        assertThat(line.get("id").asText()).isEqualTo("page.html");
        assertThat(line.get("topics")).extracting(JsonNode::asText).containsExactly("guyana");
        assertThat(line.get("score").asDouble()).isEqualTo(2.0);
    }

    @Test
    void applyRefusesAnInvalidFileBeforeTouchingKafka() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "topics: {t: {any: [a]}}\nsignals: {s: {weight: lots, any: [b]}}\n");
        // port 1 never answers: the file must be rejected before any connection is tried
        assertThat(vigil("rules", "apply", rules.toString(), "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(rules + ":2:23: signals.s.weight: expected a number, found 'lots'");
    }

    @Test
    void applyWithoutKafkaIsAUsageError() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "topics: {t: {any: [a]}}\nsignals: {s: {weight: 1, any: [b]}}\n");
        assertThat(vigil("rules", "apply", rules.toString(), "--bootstrap-servers", "")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("Missing --bootstrap-servers");
    }

    /** Four labelled articles: a hit, a topic with too little signal, signals without the topic, and a labour strike. */
    private Path labelled() throws IOException {
        return Files.writeString(dir.resolve("labelled.jsonl"), String.join("\n",
                "{\"id\":\"hit\",\"title\":\"US military strikes another drug boat off Venezuela\",\"text\":\"\",\"language\":\"en\",\"topics\":[\"venezuela\"]}",
                "{\"id\":\"weak\",\"title\":\"\",\"text\":\"Venezuela's oil output rose in spite of sanctions.\",\"language\":\"en\",\"topics\":[]}",
                "{\"id\":\"no-topic\",\"title\":\"\",\"text\":\"Hegseth said the strike destroyed the vessel.\",\"language\":\"en\",\"topics\":[\"venezuela\"]}",
                "{\"id\":\"labour\",\"title\":\"Navy boat crews on strike in Caracas\",\"text\":\"\",\"language\":\"en\",\"topics\":[]}",
                ""), StandardCharsets.UTF_8);
    }

    @Test
    void testStatesItsDecisionTheExclusionsThatWonAndNearMisses() throws IOException {
        assertThat(vigil("rules", "test", "--jsonl", labelled().toString())).isZero();
        List<JsonNode> lines = outputLines();
        assertThat(lines.get(0).get("hits")).extracting(JsonNode::asText).containsExactly("venezuela");
        assertThat(lines.get(0).get("nearMisses")).isEmpty();
        JsonNode weak = lines.get(1);
        assertThat(weak.get("topics")).extracting(JsonNode::asText).containsExactly("venezuela");
        assertThat(weak.get("signals")).extracting(JsonNode::asText).containsExactly("sanctions");
        assertThat(weak.get("hits")).isEmpty();
        assertThat(weak.get("score").asDouble()).isZero();
        JsonNode tooLittle = weak.get("nearMisses").get(0);
        assertThat(tooLittle.get("topic").asText()).isEqualTo("venezuela");
        assertThat(tooLittle.get("missing").asText()).isEqualTo("signal");
        assertThat(tooLittle.get("weight").asDouble()).isEqualTo(1.0);
        assertThat(tooLittle.get("minWeight").asDouble()).isEqualTo(2.0);
        JsonNode noTopic = lines.get(2).get("nearMisses").get(0);
        assertThat(noTopic.get("missing").asText()).isEqualTo("topic");
        assertThat(noTopic.get("context").asText()).isEqualTo("1 of 2 [Hegseth]");
        JsonNode excluded = lines.get(3).get("excluded").get(0);
        assertThat(excluded.get("rule").asText()).isEqualTo("strike");
        assertThat(excluded.get("term").asText()).isEqualTo("strike");
        assertThat(excluded.get("by").asText()).isEqualTo("on strike");
    }

    @Test
    void evalCountsAreTheHitsOfRulesTestOnTheSameFile() throws IOException {
        Path labels = labelled();
        assertThat(vigil("rules", "test", "--jsonl", labels.toString())).isZero();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        List<String> labelLines = Files.readAllLines(labels);
        List<JsonNode> tested = outputLines();
        for (int i = 0; i < tested.size(); i++) {
            boolean hit = tested.get(i).get("hits").toString().contains("\"venezuela\"");
            boolean labelled = Json.mapper().readTree(labelLines.get(i)).get("topics").toString().contains("\"venezuela\"");
            tp += hit && labelled ? 1 : 0;
            fp += hit && !labelled ? 1 : 0;
            fn += !hit && labelled ? 1 : 0;
        }
        out.getBuffer().setLength(0);
        assertThat(vigil("rules", "eval", "--labels", labels.toString(), "--format", "json")).isZero();
        JsonNode report = Json.mapper().readTree(out.toString());
        JsonNode venezuela = report.get("topics").get("venezuela");
        assertThat(List.of(venezuela.get("tp").asInt(), venezuela.get("fp").asInt(), venezuela.get("fn").asInt())).containsExactly(tp, fp, fn);
        assertThat(List.of(tp, fp, fn)).containsExactly(1, 0, 1);
        assertThat(venezuela.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(venezuela.get("recall").asDouble()).isEqualTo(0.5);
        assertThat(report.get("misses")).extracting(m -> m.get("id").asText()).containsExactly("no-topic");
        assertThat(report.get("misses").get(0).get("found").get("nearMisses").get(0).get("missing").asText()).isEqualTo("topic");
        assertThat(report.get("falseAlarms")).isEmpty();
    }

    @Test
    void evalPrintsFiguresAndMistakesAndGatesOnTheBars() throws IOException {
        Path labels = labelled();
        assertThat(vigil("rules", "eval", "--labels", labels.toString(), "--min-precision", "0.95")).isZero();
        assertThat(out.toString()).contains("4 labelled articles").containsPattern("venezuela\\s+1\\.000\\s+0\\.500\\s+0\\.667\\s+1\\s+0\\s+1")
                .contains("miss venezuela no-topic").contains("missing: topic: signals add 2.0, but the topic did not match (context 1 of 2 [Hegseth])");
        assertThat(vigil("rules", "eval", "--labels", labels.toString(), "--min-recall", "0.9")).isEqualTo(Vigil.EXIT_FAILED);
        assertThat(err.toString()).contains("vigil rules eval: venezuela: recall 0.500 is under 0.900");
        Path unlabelled = Files.writeString(dir.resolve("unlabelled.jsonl"), "{\"id\":\"x\",\"title\":\"Venezuela\",\"text\":\"\"}\n");
        assertThat(vigil("rules", "eval", "--labels", unlabelled.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(unlabelled + ":1:1: not a labelled article: missing \"topics\"");
    }
}

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
}

package dev.vigil.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {

    private static List<ConfigProblem> durationProblems(String value) {
        ConfigProblems problems = new ConfigProblems();
        ConfigNode root = ConfigNode.parse("vigil.yaml", "ingest:\n  interval: " + value + "\n");
        root.map(problems, Set.of("ingest")).orElseThrow().get("ingest")
                .map(problems, Set.of("interval")).orElseThrow().get("interval").duration(problems);
        return problems.list();
    }

    private static String syntaxError(String text) {
        Throwable thrown = catchThrowable(() -> ConfigNode.parse("rules/vigil.yaml", text));
        assertThat(thrown).as("a syntax error in %s", text).isInstanceOf(InvalidConfigException.class);
        InvalidConfigException e = (InvalidConfigException) thrown;
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0).toString();
    }

    @Test
    void readsEveryDurationForm() {
        assertThat(ConfigNode.parseDuration("500ms")).contains(Duration.ofMillis(500));
        assertThat(ConfigNode.parseDuration(" 90S ")).contains(Duration.ofSeconds(90));
        assertThat(ConfigNode.parseDuration("7d")).contains(Duration.ofDays(7));
        assertThat(ConfigNode.parseDuration("PT1H")).contains(Duration.ofHours(1));
        assertThat(ConfigNode.parseDuration("soon")).isEmpty();
    }

    @Test
    void tooManySecondsForALongIsAProblemNotACrash() {
        assertThat(ConfigNode.parseDuration("99999999999999999999s")).isEmpty();
        assertThat(durationProblems("99999999999999999999s")).extracting(ConfigProblem::toString)
                .containsExactly("vigil.yaml:2:13: ingest.interval: expected a duration such as 30s, 5m or 24h, found '99999999999999999999s' (too large)");
    }

    @Test
    void tooManyDaysForADurationIsAProblemNotACrash() {
        assertThat(ConfigNode.parseDuration("9999999999999999d")).isEmpty();
        assertThat(durationProblems("9999999999999999d")).extracting(ConfigProblem::toString)
                .containsExactly("vigil.yaml:2:13: ingest.interval: expected a duration such as 30s, 5m or 24h, found '9999999999999999d' (too large)");
    }

    @Test
    void aliasesOfAListAreReadUpToTheLimitAndThenRefusedInPlainWords() {
        StringBuilder text = new StringBuilder("first: &words [a, b]\n");
        for (int i = 0; i < ConfigNode.MAX_ALIASES; i++) {
            text.append("k").append(i).append(": *words\n");
        }
        ConfigNode root = ConfigNode.parse("rules/vigil.yaml", text.toString());
        ConfigProblems problems = new ConfigProblems();
        assertThat(root.map(problems, Set.of()).orElseThrow().get("k19").stringList(problems)).containsExactly("a", "b");
        assertThat(syntaxError(text + "one-more: *words\n"))
                .isEqualTo("rules/vigil.yaml: not valid YAML: more than 20 aliases (*name) of lists or maps; write the list out in some of the places that name it");
    }

    @Test
    void aKeyIndentedBetweenTwoLevelsNamesTheMapItMissed() {
        String text = "topics:\n  venezuela:\n    all: [maduro]\n   signals: [strike]\n";
        assertThat(syntaxError(text)).isEqualTo("rules/vigil.yaml:4:4: not valid YAML: bad indentation: this line lines up with no key"
                + " of the map that starts at line 2 (its keys are at column 3); indent it exactly like the key it belongs beside")
                .doesNotContain("<block");
    }

    @Test
    void aKeyIndentedTooDeepAfterAValueIsBadIndentation() {
        assertThat(syntaxError("topics:\n  venezuela:\n    all: [maduro]\n      en: [strike]\n"))
                .startsWith("rules/vigil.yaml:4:7: not valid YAML: bad indentation:").contains("starts at line 3 (its keys are at column 5)");
        assertThat(syntaxError("languages: |\n  en\n es\n")).startsWith("rules/vigil.yaml:3:2: not valid YAML: bad indentation:");
        assertThat(syntaxError("signals:\n  - strike\n - sanctions\n")).startsWith("rules/vigil.yaml:3:2: not valid YAML: bad indentation:");
    }

    @Test
    void otherSyntaxErrorsAreSaidInPlainWords() {
        assertThat(syntaxError("minWeight: 2\n languages: [en]\n")).startsWith("rules/vigil.yaml:2:11: not valid YAML: unexpected ':'");
        assertThat(syntaxError("minWeight: 2\n\tlanguages: [en]\n")).isEqualTo("rules/vigil.yaml:2:1: not valid YAML: a tab character; YAML is indented with spaces only");
        assertThat(syntaxError("name: \"unclosed\nminWeight: 2\n")).endsWith("the quoted text opened at line 1, column 7 is never closed");
        assertThat(syntaxError("languages: [en, es\nminWeight: 2\n")).contains("the list opened at line 1, column 12 with '[' needs a ','");
        assertThat(syntaxError("fields: {title: 1.5\n")).contains("the map opened at line 1, column 9 with '{'");
        assertThat(syntaxError("signals: *strike\n")).endsWith("'*strike' refers to no anchor ('&name') defined above it");
        assertThat(syntaxError("name: 'x' y\n")).startsWith("rules/vigil.yaml:1:11: not valid YAML: unexpected text after a value");
    }
}

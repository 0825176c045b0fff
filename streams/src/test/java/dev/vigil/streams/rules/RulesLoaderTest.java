package dev.vigil.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.Level;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.InvalidConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RulesLoaderTest {

    @Test
    void defaultPackLoadsWithVersionAndPolicy() {
        RuleSet rules = RulesLoader.loadDefault();
        assertThat(rules.version()).startsWith("sha256:");
        assertThat(rules.topics()).extracting(t -> t.name().value()).contains("venezuela");
        assertThat(rules.signals()).extracting(s -> s.id().value()).contains("designation", "strike", "carrier");
        assertThat(rules.alerting().window()).isEqualTo(Duration.ofHours(24));
        assertThat(rules.alerting().threshold(Level.ELEVATED)).isEqualTo(6.0);
    }

    @Test
    void sameTextSameVersionDifferentTextDifferentVersion() {
        String text = "topics: {t: {any: [a]}}\nsignals: {s: {weight: 1, any: [b]}}\n";
        assertThat(RulesLoader.parse("x", text).version()).isEqualTo(RulesLoader.parse("y", text).version());
        assertThat(RulesLoader.parse("x", text + "# changed\n").version()).isNotEqualTo(RulesLoader.parse("x", text).version());
    }

    @Test
    void reportsEveryProblemWithLineColumnAndKey() {
        String text = String.join("\n",
                "topics:",
                "  venezuela:",
                "    any: []",
                "signals:",
                "  strike:",
                "    weight: heavy",
                "    any: [strike*]",
                "    nearby: {any: [boat], within: 8}",
                "  carrier:",
                "    weight: -2",
                "    any: ['*']",
                "alerting:",
                "  levels: {elevated: 10, high: 5, critical: 30}",
                "");
        InvalidConfigException e = catchInvalid(text);
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "rules.yaml:3:10: topics.venezuela.any: expected at least one term, found an empty list",
                "rules.yaml:6:13: signals.strike.weight: expected a number, found 'heavy'",
                "rules.yaml:8:5: signals.strike.nearby: unknown key; expected one of any, fields, near, not, weight",
                "rules.yaml:10:13: signals.carrier.weight: expected a weight above 0 and at most 100, found -2.0",
                "rules.yaml:11:11: signals.carrier.any[0]: term '*': no words in it",
                "rules.yaml:13:11: alerting.levels: expected thresholds that increase from elevated to high to critical, all above 0; found elevated 10.0, high 5.0, critical 30.0");
    }

    @Test
    void rejectsDuplicateIdsAcrossTopicsAndSignalsAndDuplicateKeys() {
        InvalidConfigException e = catchInvalid("topics: {strike: {any: [a]}}\nsignals:\n  strike: {weight: 1, any: [b]}\n  x: {weight: 1, any: [c], any: [d]}\n");
        assertThat(e.getMessage()).contains("id 'strike' is used twice");
        assertThat(e.getMessage()).containsIgnoringCase("duplicate key");
    }

    @Test
    void rejectsMissingSectionsAndBadYaml() {
        assertThat(catchInvalid("alerting: {window: 1h}\n").problems()).hasSize(2);
        assertThat(catchInvalid("topics: [unclosed\n").getMessage()).contains("rules.yaml:2:1").contains("not valid YAML");
    }

    @Test
    void rejectsShortPrefixesAndBadProximity() {
        InvalidConfigException e = catchInvalid("topics: {t: {any: [a]}}\nsignals:\n  s: {weight: 1, any: [st*], near: {any: [boat], within: 0}}\n");
        assertThat(e.getMessage()).contains("too short").contains("from 1 to 50");
    }

    @Test
    void rejectsEmptyTopicList() {
        assertThatThrownBy(() -> RulesLoader.parse("rules.yaml", "topics: {}\nsignals: {s: {weight: 1, any: [b]}}\n"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("expected at least one topic");
    }

    private static InvalidConfigException catchInvalid(String text) {
        return catchThrowableOfType(InvalidConfigException.class, () -> RulesLoader.parse("rules.yaml", text));
    }

    @Test
    void alertingMinimumDurationIsReadAndMustBeShorterThanTheWindow() {
        String base = "topics: {t: {any: [a]}}\nsignals: {s: {weight: 1, any: [b]}}\n";
        assertThat(RulesLoader.parse("r.yaml", base + "alerting: {window: 24h, minDuration: 30m}\n").alerting().minDuration())
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(RulesLoader.parse("r.yaml", base).alerting().minDuration()).isZero();
        assertThatThrownBy(() -> RulesLoader.parse("r.yaml", base + "alerting: {window: 1h, minDuration: 2h}\n"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("alerting.minDuration: expected a minimum duration shorter than the window");
    }

    @Test
    void contextAndMinimumWeightAreValidatedWithLineAndColumn() {
        InvalidConfigException e = catchInvalid(String.join("\n",
                "minWeight: -1",
                "topics:",
                "  t:",
                "    any: [a]",
                "    minWeight: 2000",
                "    context: {need: 3, any: [b, [c, d]]}",
                "  u:",
                "    any: [a]",
                "    context: {any: {fr: [x]}, colour: red}",
                "signals: {s: {weight: 1, any: [b]}}",
                ""));
        assertThat(e.getMessage()).contains(
                "rules.yaml:1:12: minWeight: expected a minimum weight from 0 (any signal will do) to 1000, found -1.0",
                "rules.yaml:5:16: topics.t.minWeight: expected a minimum weight from 0 (any signal will do) to 1000, found 2000.0",
                "rules.yaml:6:21: topics.t.context.need: expected how many different entries must count, from 1 to the 2 listed, found 3",
                "topics.u.context.colour: unknown key; expected one of any, need",
                "topics.u.context.any.fr: unknown language 'fr'");
        assertThat(catchInvalid("background: {any: [amid], within: 0}\ntopics: {t: {any: [a]}}\nsignals: {s: {weight: 1, any: [b]}}\n").getMessage())
                .contains("rules.yaml:1:35: background.within: expected a number of words from 1 to 50, found 0");
        TopicRule t = RulesLoader.parse("r.yaml", "minWeight: 2\ntopics: {t: {any: [a], context: {any: [b, [c, d], e]}}}\nsignals: {s: {weight: 1, any: [b]}}\n")
                .topics().get(0);
        assertThat(t.minWeight()).isEqualTo(2.0);
        assertThat(t.context().orElseThrow().entry()).containsExactly(0, 1, 1, 2);
        assertThat(t.context().orElseThrow().need()).isEqualTo(2);
    }

    @Test
    void exclusionGroupsAreCheckedOneByOne() {
        InvalidConfigException e = catchInvalid(String.join("\n",
                "topics: {t: {any: [a]}}",
                "signals:",
                "  s: {weight: 1, any: [b], not: [{any: [c]}, d]}",
                "  u: {weight: 1, any: [b], not: [{any: [c], within: 99}, {near: [e]}]}",
                ""));
        assertThat(e.getMessage()).contains(
                "rules.yaml:3:46: signals.s.not[1]: a list of exclusion groups holds only groups",
                "signals.u.not[0].within: expected a number of words from 0 to 50, found 99",
                "signals.u.not[1].near: unknown key; expected one of any, within");
        SignalRule s = RulesLoader.parse("r.yaml", "topics: {t: {any: [a]}}\nsignals: {s: {weight: 1, any: [b], not: [{any: [c, d]}, {any: [e], within: 4}]}}\n")
                .signals().get(0);
        assertThat(s.not().orElseThrow().reach()).containsExactly(Rule.Exclusion.OVERLAP, Rule.Exclusion.OVERLAP, 4);
    }
}

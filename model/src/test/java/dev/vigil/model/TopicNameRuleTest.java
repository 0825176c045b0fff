package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Kafka's topic-name rule, as {@link Topic} holds it for every caller (topic names, the id prefix, the instance id). */
class TopicNameRuleTest {

    @Test
    void acceptsKafkasCharactersUpTo249() {
        assertThat(Topic.nameProblem("vigil.articles")).isEmpty();
        assertThat(Topic.nameProblem("Team_A-1.staging.vigil.alerts")).isEmpty();
        assertThat(Topic.nameProblem("...")).as("only '.' and '..' are refused among the dots").isEmpty();
        assertThat(Topic.nameProblem("x".repeat(249))).isEmpty();
        for (Topic<?, ?> t : Topics.all()) {
            assertThat(Topic.nameProblem(t.name())).as(t.name()).isEmpty();
        }
    }

    @Test
    void sayWhatIsWrongAndWithWhichName() {
        assertThat(Topic.nameProblem("")).contains("expected 1 to 249 letters, digits, '.', '_' or '-', found nothing");
        assertThat(Topic.nameProblem("staging/vigil")).contains("expected 1 to 249 letters, digits, '.', '_' or '-', found 'staging/vigil' ('/' is not one)");
        assertThat(Topic.nameProblem("no spaces")).hasValueSatisfying(p -> assertThat(p).endsWith("found 'no spaces' (' ' is not one)"));
        assertThat(Topic.nameProblem("tab\there")).hasValueSatisfying(p -> assertThat(p).endsWith("(U+0009 is not one)"));
        assertThat(Topic.nameProblem("café")).hasValueSatisfying(p -> assertThat(p).endsWith("(U+00E9 is not one)"));
        assertThat(Topic.nameProblem("x".repeat(250))).hasValueSatisfying(p -> assertThat(p).startsWith("expected 1 to 249 ").contains("found 250 characters"));
        assertThat(Topic.nameProblem(".")).contains("expected 1 to 249 letters, digits, '.', '_' or '-', found '.' (Kafka refuses '.' and '..' as names)");
        assertThat(Topic.nameProblem("..")).hasValueSatisfying(p -> assertThat(p).contains("found '..'"));
    }

    @Test
    void aCallerMayBoundTheLengthTighterButNotLooser() {
        assertThat(Topic.nameProblem("x".repeat(100), 100)).isEmpty();
        assertThat(Topic.nameProblem("x".repeat(101), 100)).hasValueSatisfying(p -> assertThat(p).startsWith("expected 1 to 100 ").contains("found 101 characters"));
        assertThatThrownBy(() -> Topic.nameProblem("x", 250)).isInstanceOf(IllegalArgumentException.class).hasMessage("maxLength: expected 1 to 249, found 250");
        assertThatThrownBy(() -> Topic.nameProblem("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void legalCharactersAloneFitAPrefix() {
        assertThat(Topic.hasLegalCharacters("")).isTrue();
        assertThat(Topic.hasLegalCharacters("staging.")).isTrue();
        assertThat(Topic.hasLegalCharacters(".")).isTrue();
        assertThat(Topic.hasLegalCharacters("staging/")).isFalse();
        assertThat(Topic.hasLegalCharacters("a\nb")).isFalse();
    }

    @Test
    void aTopicDescriptorRefusesAnIllegalName() {
        assertThatThrownBy(() -> new Topic<>("vigil articles", Serdes.String(), Serdes.String())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic name: expected 1 to 249 letters, digits, '.', '_' or '-', found 'vigil articles' (' ' is not one)");
        assertThatThrownBy(() -> Topics.ARTICLES.prefixed("x".repeat(240))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found 254 characters");
        assertThat(Topics.ARTICLES.prefixed("staging.").name()).isEqualTo("staging.vigil.articles");
    }
}

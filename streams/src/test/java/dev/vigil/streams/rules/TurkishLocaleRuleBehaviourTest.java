package dev.vigil.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every rule behaviour with the JVM's default locale set to Turkish, where {@code "I".toLowerCase()}
 * is a dotless ı and {@code "i".toUpperCase()} a dotted İ: folding must never consult it.
 */
class TurkishLocaleRuleBehaviourTest extends RuleBehaviours {

    private static Locale saved;

    @BeforeAll
    static void turkish() {
        saved = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterAll
    static void restore() {
        Locale.setDefault(saved);
    }

    @Test
    void theLocaleReallyIsTurkish() {
        assertThat("TITLE".toLowerCase()).as("the trap this class guards against").isEqualTo("tıtle");
    }

    @Test
    void validationMessagesDoNotChange() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RulesLoader.parse("r.yaml", "TOPICS: {}\n")))
                .hasMessageContaining("r.yaml:1:1: TOPICS: unknown key; expected one of alerting, background, fields, languages, minWeight, signals, topics");
    }
}

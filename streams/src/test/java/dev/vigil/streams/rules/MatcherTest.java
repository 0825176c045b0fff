package dev.vigil.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Evidence;
import dev.vigil.model.Field;
import dev.vigil.model.SignalHit;
import dev.vigil.model.TopicMatch;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MatcherTest {

    private final Matcher matcher = new Matcher(RulesLoader.loadDefault());

    private List<String> signals(String title, String body) {
        List<TopicMatch> matches = matcher.match(title, body);
        return matches.isEmpty() ? List.of() : matches.get(0).signals().stream().map(s -> s.signal().value()).toList();
    }

    @Test
    void flagsStrikeNearBoat() {
        assertThat(signals("US strikes alleged drug boat off Venezuela", "")).contains("strike");
        assertThat(signals("", "The military said it struck a vessel that left Venezuela.")).contains("strike");
    }

    @Test
    void shouldNotCountLabourOrBaseballStrike() {
        assertThat(signals("Venezuelan oil workers threaten general strike", "The general strike would halt exports from Maduro's refineries."))
                .doesNotContain("strike");
        assertThat(signals("Venezuelan slugger strikes out four times", "The Caracas Leones batter struck out; the baseball strike talk continues."))
                .doesNotContain("strike");
    }

    @Test
    void strikeFarFromAnyMilitaryWordDoesNotCount() {
        String body = "Maduro said the decision would strike at the heart of national pride, and later, many many words afterwards, "
                + "spoke about a boat.";
        assertThat(signals("Caracas reacts", body)).doesNotContain("strike");
    }

    @Test
    void heritageDesignationIsExcludedButTerroristDesignationCounts() {
        assertThat(signals("Venezuela's Canaima park keeps its world heritage designation", "")).doesNotContain("designation");
        assertThat(signals("US designates Cartel de los Soles a foreign terrorist organization", "")).contains("designation");
    }

    @Test
    void wirelessCarrierIsNotAnAircraftCarrier() {
        assertThat(signals("Venezuelan wireless carrier Movilnet posts earnings", "")).isEmpty();
        assertThat(signals("Aircraft carrier arrives in the Caribbean near Venezuela", "")).contains("carrier");
    }

    @Test
    void matchesAcrossCaseAccentsAndSpanish() {
        List<TopicMatch> m = matcher.match("EE.UU. designa al Cartel de los Soles como organización terrorista", "El portaaviones llegó frente a VENEZUELA.");
        assertThat(m).hasSize(1);
        assertThat(m.get(0).signals()).extracting(s -> s.signal().value()).contains("designation", "carrier");
        assertThat(matcher.match("Nicolas MADURO", "")).hasSize(1);
        assertThat(matcher.match("Nicolás Maduro", "")).hasSize(1);
    }

    @Test
    void articleWithoutTopicHasNoMatchEvenWithSignals() {
        assertThat(matcher.match("Carrier strike group exercises in the Pacific", "Aircraft carrier drills with missile strikes.")).isEmpty();
    }

    @Test
    void evidenceNamesRuleTermFieldOffsetAndSnippet() {
        String title = "Pentagon: strike on boat from Venezuela kills three";
        List<TopicMatch> m = matcher.match(title, "");
        SignalHit strike = m.get(0).signals().stream().filter(s -> s.signal().value().equals("strike")).findFirst().orElseThrow();
        Evidence e = strike.evidence().get(0);
        assertThat(e.term()).isEqualTo("strike*");
        assertThat(e.field()).isEqualTo(Field.TITLE);
        assertThat(title.substring(e.offset())).startsWith("strike on boat");
        assertThat(e.snippet()).contains("strike on boat");
    }

    @Test
    void overlappingTermsOfOneRuleGiveOneEvidence() {
        List<TopicMatch> m = matcher.match("US names Cartel de los Soles a foreign terrorist organization", "");
        SignalHit designation = m.get(0).signals().stream().filter(s -> s.signal().value().equals("designation")).findFirst().orElseThrow();
        assertThat(designation.evidence()).extracting(Evidence::term).containsExactly("foreign terrorist organization*");
    }

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(Locale.ROOT);
    }

    @Test
    void sameResultUnderTurkishLocale() {
        List<TopicMatch> before = matcher.match("INTERNATIONAL MILITARY STRIKE ON VESSEL NEAR VENEZUELA", "DESIGNATION");
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        Matcher turkish = new Matcher(RulesLoader.loadDefault());
        assertThat(turkish.match("INTERNATIONAL MILITARY STRIKE ON VESSEL NEAR VENEZUELA", "DESIGNATION")).isEqualTo(before);
        assertThat(before.get(0).signals()).extracting(s -> s.signal().value()).contains("strike", "designation");
    }
}

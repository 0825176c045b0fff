package dev.vigil.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Evidence;
import dev.vigil.model.Field;
import dev.vigil.model.SignalHit;
import dev.vigil.model.TopicMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every behaviour of the rule language, on the default pack and on small rule files. Run as is by
 * {@link RuleBehaviourTest} and under a Turkish default locale by {@link TurkishLocaleRuleBehaviourTest}:
 * nothing here may depend on the locale the JVM runs in.
 */
abstract class RuleBehaviours {

    /** Compiled per test, after the subclass has set the locale. */
    final Matcher pack = new Matcher(RulesLoader.loadDefault());

    static Matcher rules(String yaml) {
        return new Matcher(RulesLoader.parse("test.yaml", yaml));
    }

    List<String> signals(String title, String body) {
        return signals(pack, title, body, null);
    }

    static List<String> signals(Matcher matcher, String title, String body, String language) {
        return matcher.evaluate(title, body, language).signals().stream().map(s -> s.signal().value()).toList();
    }

    static List<String> topics(Matcher matcher, String title, String body, String language) {
        return matcher.match(title, body, language).stream().map(m -> m.topic().value()).toList();
    }

    static SignalHit signal(Matcher matcher, String title, String body, String id) {
        return matcher.evaluate(title, body, null).signals().stream().filter(s -> s.signal().value().equals(id)).findFirst().orElseThrow();
    }

    // --- case, accents, inflection ---

    @Test
    void matchesRegardlessOfCaseAndAccents() {
        assertThat(topics(pack, "NICOLAS MADURO SPEAKS", "", null)).containsExactly("venezuela");
        assertThat(topics(pack, "Nicolás Maduro speaks", "", null)).containsExactly("venezuela");
        assertThat(topics(pack, "nicolas maduro speaks", "", null)).containsExactly("venezuela");
        assertThat(signals(pack, "EE.UU. anuncia la designacion del cartel como organizacion terrorista", "", "es")).contains("designation");
        assertThat(signals(pack, "EE.UU. anuncia la DESIGNACIÓN del cártel como ORGANIZACIÓN TERRORISTA", "", "es")).contains("designation");
    }

    @Test
    void matchesInflectionsIncludingIrregularForms() {
        for (String verb : List.of("strikes", "struck", "striking at", "strike")) {
            assertThat(signals("US military " + verb + " a boat", "")).as(verb).contains("strike");
        }
        assertThat(signals("Navy sank a drug boat", "")).contains("strike");
        assertThat(signals("Missile blew up the vessel", "")).contains("strike");
        for (String form : List.of("designates", "designated", "designating", "designation", "designations")) {
            assertThat(signals("US " + form + " cartel", "")).as(form).contains("designation");
        }
        assertThat(signals("Maduro designates a new ambassador", "")).as("an appointment is not a terrorist designation").isEmpty();
        assertThat(signals("Treasury sanctioned officials", "")).contains("sanctions");
        assertThat(signals("Nuevas sanciones contra funcionarios", "")).contains("sanctions");
        assertThat(signals("Venezuelans protest", "")).isEmpty();
        assertThat(topics(pack, "Venezuelans protest", "", "en")).containsExactly("venezuela");
    }

    @Test
    void aStemDoesNotReachUnrelatedWords() {
        // Porter's stemmer would make "design" of "designate"; KStem keeps them apart
        assertThat(signals("Venezuela unveils a new design for its banknotes", "The designer said the designs were ready.")).isEmpty();
        assertThat(signals("Venezuelan striker scores twice", "")).doesNotContain("strike");
    }

    @Test
    void wordsStillMatchWhenTheWordCacheFillsUpAndForVeryLongWords() {
        // more distinct words than the per-thread word cache keeps (65,536): it is emptied mid-text and refilled
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 70_000; i++) {
            body.append("filler").append(i).append(' ');
        }
        body.append("x".repeat(300)).append(" Nicolás Maduro said the Navy struck a drug boat. ").append("y".repeat(300));
        for (int round = 0; round < 2; round++) {
            assertThat(topics(pack, "", body.toString(), "en")).as("round %d", round).containsExactly("venezuela");
            assertThat(signals(pack, "", body.toString(), "en")).as("round %d", round).contains("strike");
            assertThat(topics(pack, "Maduro speaks", "", "en")).as("a short text after a reset").containsExactly("venezuela");
        }
    }

    // --- phrases, prefixes, exact words, regular expressions ---

    @Test
    void phrasesMatchTheirWordsInOrderOnly() {
        assertThat(signals("Aircraft carrier arrives off Venezuela", "")).contains("carrier");
        assertThat(signals("Aircraft carriers arrive off Venezuela", "")).contains("carrier");
        assertThat(signals("Venezuela's carrier of aircraft parts", "")).doesNotContain("carrier");
    }

    @Test
    void prefixesAndExactWords() {
        Matcher m = rules("""
                topics: {t: {any: [chavist*]}}
                signals:
                  s: {weight: 1, any: ["=striking"]}
                """);
        assertThat(topics(m, "Chavistas rally", "", null)).containsExactly("t");
        assertThat(topics(m, "Chavismo rallies", "", null)).isEmpty();
        assertThat(signals(m, "a striking image", "", null)).containsExactly("s");
        assertThat(signals(m, "strikes", "", null)).isEmpty();
    }

    @Test
    void regularExpressionsMatchOneWholeWord() {
        Matcher m = rules("""
                topics: {t: {any: ["/f-?(16|35)/"]}}
                signals: {s: {weight: 1, any: ["/b\\\\d{2}/"]}}
                """);
        assertThat(topics(m, "F35 jets land", "", null)).containsExactly("t");
        assertThat(topics(m, "F350 trucks", "", null)).isEmpty();
        assertThat(signals(m, "b52 flights", "", null)).containsExactly("s");
    }

    // --- proximity ---

    @Test
    void flagsStrikeNearBoatOnly() {
        assertThat(signals("US strikes alleged drug boat off Venezuela", "")).contains("strike");
        assertThat(signals("", "The military said it struck a vessel that left Venezuela.")).contains("strike");
        String far = "Maduro said the decision would strike at the heart of national pride, and later, after many more words "
                + "about other matters entirely, spoke about a boat.";
        assertThat(signals("Caracas reacts", far)).doesNotContain("strike");
    }

    @Test
    void proximityCountsWordsBetweenAndStaysInOneField() {
        Matcher m = rules("""
                topics: {t: {any: [x]}}
                signals: {s: {weight: 1, any: [strike], near: {any: [boat], within: 2}}}
                """);
        assertThat(signals(m, "strike one two boat", "", null)).containsExactly("s");
        assertThat(signals(m, "strike one two three boat", "", null)).isEmpty();
        assertThat(signals(m, "boat one two strike", "", null)).containsExactly("s");
        assertThat(signals(m, "strike", "boat", null)).isEmpty();
    }

    // --- exclusions ---

    @Test
    void exclusionsWinOverTheSameWords() {
        assertThat(signals("Venezuelan oil workers threaten general strike", "The general strike would halt exports from Maduro's refineries."))
                .doesNotContain("strike");
        assertThat(signals("Venezuelan slugger strikes out four times", "The Caracas batter struck out; a players strike looms.")).doesNotContain("strike");
        assertThat(signals("Navy sailors on hunger strike", "")).doesNotContain("strike");
        assertThat(signals("Military labour strikes spread", "")).doesNotContain("strike");
        assertThat(signals("Caracas military chief hopes to strike a deal", "")).doesNotContain("strike");
        assertThat(signals("Lightning strike hits Venezuelan navy base", "")).doesNotContain("strike");
        assertThat(signals("Carrier strike group exercises", "")).containsExactly("carrier");
    }

    @Test
    void aCarrierIsOnlyAnAircraftCarrier() {
        assertThat(signals("Venezuelan wireless carrier Movilnet posts earnings", "")).isEmpty();
        assertThat(signals("Airline carrier adds flights to Caracas", "The low-cost carrier will fly to Venezuela.")).isEmpty();
        assertThat(signals("Mail carrier strike in Caracas", "")).isEmpty();
        assertThat(signals("Aircraft carrier arrives in the Caribbean near Venezuela", "")).contains("carrier");
        assertThat(signals("El portaaviones llegó al Caribe", "")).contains("carrier");
    }

    @Test
    void heritageDesignationIsExcludedButTerroristDesignationCounts() {
        assertThat(signals("Venezuela's Canaima park keeps its world heritage designation", "")).doesNotContain("designation");
        assertThat(signals("Canaima designated a UNESCO site", "")).doesNotContain("designation");
        assertThat(signals("US designates Cartel de los Soles a foreign terrorist organization", "")).contains("designation");
    }

    @Test
    void exclusionWithinAWindow() {
        Matcher m = rules("""
                topics: {t: {any: [x]}}
                signals: {s: {weight: 1, any: [strike], not: {any: [union], within: 3}}}
                """);
        assertThat(signals(m, "union members said the strike", "", null)).isEmpty();
        assertThat(signals(m, "union members and all of them said the strike", "", null)).containsExactly("s");
    }

    @Test
    void exclusionGroupsEachKeepTheirReach() {
        Matcher m = rules("""
                topics: {t: {any: [x]}}
                signals: {s: {weight: 1, any: [strike], not: [{any: ["strike group", "labour strike"]}, {any: [league, season], within: 6}]}}
                """);
        assertThat(signals(m, "the carrier strike group sailed", "", null)).as("over the match").isEmpty();
        assertThat(signals(m, "the league moved its final after the strikes", "", null)).as("within 6 words").isEmpty();
        assertThat(signals(m, "the league said on Tuesday that its players and their families watched the strikes", "", null))
                .as("a group's reach is its own").containsExactly("s");
        assertThat(signals(m, "a strike group sailed as the navy began a strike on the port", "", null))
                .as("an overlapping group does not reach its neighbours").containsExactly("s");
        assertThat(m.evaluate("", "the league moved its final after the strikes", null).excluded())
                .extracting(Matcher.Excluded::by).containsExactly("league");
    }

    // --- fields ---

    @Test
    void aSignalInTheTitleWeighsMore() {
        assertThat(signal(pack, "US strikes drug boat", "", "strike").weight()).isEqualTo(3.0);
        assertThat(signal(pack, "News", "US strikes drug boat", "strike").weight()).isEqualTo(2.0);
        assertThat(signal(pack, "US strikes drug boat", "US strikes drug boat", "strike").weight()).isEqualTo(3.0);
        List<TopicMatch> m = pack.match("Venezuela: US strikes drug boat", "Sanctions widen.");
        assertThat(m.get(0).weight()).as("what the article adds to the topic").isEqualTo(3.0 + 1.0);
    }

    @Test
    void aFieldWeighedZeroIsNotSearched() {
        Matcher m = rules("""
                fields: {title: 2}
                topics: {t: {any: [venezuela], fields: {body: 0}}}
                signals: {s: {weight: 1, any: [strike]}}
                """);
        assertThat(topics(m, "Venezuela", "", null)).containsExactly("t");
        assertThat(topics(m, "News", "Venezuela", null)).isEmpty();
        assertThat(signal(m, "strike", "", "s").weight()).isEqualTo(2.0);
    }

    // --- languages ---

    @Test
    void termsOfOneLanguageApplyToArticlesInItOrOfUnknownLanguage() {
        assertThat(signals(pack, "Nuevo ataque contra una lancha frente a Venezuela", "", "es")).contains("strike");
        assertThat(signals(pack, "Nuevo ataque contra una lancha frente a Venezuela", "", null)).contains("strike");
        assertThat(signals(pack, "Nuevo ataque contra una lancha frente a Venezuela", "", "en")).doesNotContain("strike");
        assertThat(signals(pack, "US strikes a boat", "", "es")).doesNotContain("strike");
        assertThat(signals(pack, "US strikes a boat", "", "en-GB")).contains("strike");
        assertThat(topics(pack, "El gobierno venezolano responde", "", "es-419")).containsExactly("venezuela");
    }

    @Test
    void spanishInflectionsMeetTheirTerms() {
        assertThat(signals(pack, "Los bombardeos contra embarcaciones", "", "es")).contains("strike");
        assertThat(signals(pack, "EE.UU. designará al Cartel de los Soles como organización terrorista", "", "es")).contains("designation");
        assertThat(signals(pack, "Despliegue de buques de guerra", "", "es")).contains("deployment");
        assertThat(signals(pack, "Huelga en el puerto: ataque de los trabajadores a la lancha", "", "es")).contains("strike");
    }

    // --- topics and evidence ---

    @Test
    void anArticleWithoutATopicHasNoMatchEvenWithSignals() {
        assertThat(pack.match("Carrier strike group exercises in the Pacific", "Aircraft carrier drills with missile strikes.")).isEmpty();
        assertThat(pack.evaluate("Carrier strike group exercises in the Pacific", "", null).signals()).isNotEmpty();
    }

    @Test
    void aTopicWithoutSignalsDoesNotEscalate() {
        List<TopicMatch> m = pack.match("Venezuela wins the Caribbean Series", "Caracas celebrates.");
        assertThat(m).singleElement().satisfies(t -> assertThat(t.escalates()).isFalse());
    }

    @Test
    void evidenceNamesRuleTermFieldOffsetsAndSnippet() {
        String title = "Pentagon: strike on boat from Venezuela kills three";
        Evidence e = signal(pack, title, "", "strike").evidence().get(0);
        assertThat(e.rule().value()).isEqualTo("strike");
        assertThat(e.term()).isEqualTo("strike");
        assertThat(e.field()).isEqualTo(Field.TITLE);
        assertThat(title.substring(e.offset(), e.end())).isEqualTo("strike");
        assertThat(e.snippet()).contains("strike on boat");

        String body = "Earlier, the US Navy struck a vessel.";
        Evidence struck = signal(pack, "Venezuela", body, "strike").evidence().get(0);
        assertThat(struck.field()).isEqualTo(Field.BODY);
        assertThat(body.substring(struck.offset(), struck.end())).isEqualTo("struck");
    }

    @Test
    void overlappingTermsOfOneRuleGiveOneEvidence() {
        SignalHit designation = signal(pack, "US names Cartel de los Soles a foreign terrorist organization", "", "designation");
        assertThat(designation.evidence()).extracting(Evidence::term).containsExactly("foreign terrorist organization");
    }

    @Test
    void snippetsCutAtWordsWithAnEllipsis() {
        String body = "one two three four five six seven eight nine ten strike boat eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen";
        Evidence e = signal(pack, "", body, "strike").evidence().get(0);
        assertThat(e.snippet()).isEqualTo("…three four five six seven eight nine ten strike boat eleven twelve thirteen fourteen fifteen sixteen seventeen…");
    }

    @Test
    void uppercaseIAndDottedIFoldTheSameEverywhere() {
        Matcher m = rules("""
                topics: {t: {any: ["İstanbul", DIRECTIVE]}}
                signals: {s: {weight: 1, any: [military, "IWO JIMA"]}}
                """);
        assertThat(topics(m, "ISTANBUL", "", null)).containsExactly("t");
        assertThat(topics(m, "istanbul", "", null)).containsExactly("t");
        assertThat(topics(m, "directive", "", null)).containsExactly("t");
        assertThat(signals(m, "MILITARY", "", null)).containsExactly("s");
        assertThat(signals(m, "USS Iwo Jima", "", null)).containsExactly("s");
    }

    // --- situations, minimum weight, exclusions that won ---

    static final String SITUATION = String.join("\n",
            "topics:",
            "  standoff:",
            "    any: [Venezuela, Maduro]",
            "    context:",
            "      need: 2",
            "      any: [Caribbean, [SOUTHCOM, \"Southern Command\"], Hegseth]",
            "    not: [\"Caribbean cruise\"]",
            "signals:",
            "  strike: {weight: 2, any: [strike]}",
            "  sanctions: {weight: 1, any: [sanction]}",
            "");

    @Test
    void twoDifferentContextEntriesMakeATopicWithoutItsNames() {
        Matcher m = rules(SITUATION);
        Matcher.Evaluation found = m.evaluate("", "Hegseth said the strike in the Caribbean killed three.", null);
        assertThat(found.hits()).extracting(t -> t.topic().value()).containsExactly("standoff");
        assertThat(found.topics().get(0).topicEvidence()).extracting(Evidence::term).containsExactly("Hegseth", "Caribbean");
        // one entry is not enough, however often it appears
        Matcher.Evaluation one = m.evaluate("", "A strike in the Caribbean, then the Caribbean again.", null);
        assertThat(one.topics()).isEmpty();
        assertThat(one.partial()).singleElement().satisfies(p -> {
            assertThat(p.found()).isEqualTo(1);
            assertThat(p.need()).isEqualTo(2);
            assertThat(p.evidence()).extracting(Evidence::term).containsExactly("Caribbean");
        });
    }

    @Test
    void synonymsInOneContextEntryCountOnce() {
        Matcher m = rules(SITUATION);
        assertThat(m.evaluate("", "SOUTHCOM, the Southern Command, confirmed a strike.", null).topics()).isEmpty();
        assertThat(m.evaluate("", "SOUTHCOM confirmed a strike ordered by Hegseth.", null).hits()).hasSize(1);
    }

    @Test
    void theTopicsExclusionsWinOverItsContextToo() {
        Matcher.Evaluation found = rules(SITUATION).evaluate("", "Hegseth booked a Caribbean cruise after the strike.", null);
        assertThat(found.topics()).isEmpty();
        assertThat(found.excluded()).containsExactly(new Matcher.Excluded(new dev.vigil.model.RuleId("standoff"), "Caribbean", "Caribbean cruise"));
    }

    @Test
    void anArticleMustCarrySignalsAddingUpToTheMinimumWeight() {
        Matcher m = rules("minWeight: 2\n" + SITUATION);
        Matcher.Evaluation weak = m.evaluate("", "Venezuela's oil output rose despite sanctions.", null);
        assertThat(weak.topics()).extracting(t -> t.topic().value()).containsExactly("standoff");
        assertThat(weak.hits()).isEmpty();
        assertThat(weak.topics().get(0).signals()).isEmpty();
        assertThat(weak.signals()).extracting(s -> s.signal().value()).containsExactly("sanctions");
        Matcher.Evaluation strong = m.evaluate("", "Venezuela: a strike, and sanctions.", null);
        assertThat(strong.hits()).singleElement().satisfies(t -> assertThat(t.weight()).isEqualTo(3.0));
        // a signal in the headline counts 1.5 times: 1.5 is still under 2, a strike there 3
        assertThat(m.evaluate("Sanctions on Venezuela", "", null).hits()).isEmpty();
        // a topic may ask for more or less than the file
        Matcher lenient = rules("minWeight: 2\n" + SITUATION.replace("    not: [", "    minWeight: 1\n    not: ["));
        assertThat(lenient.evaluate("", "Venezuela's oil output rose despite sanctions.", null).hits()).hasSize(1);
    }

    @Test
    void anExclusionThatWinsIsReportedWithTheTermItBeat() {
        Matcher.Evaluation found = pack.evaluate("Navy boat crews on strike in Caracas", "", "en");
        assertThat(found.excluded()).extracting(Matcher.Excluded::rule, Matcher.Excluded::term, Matcher.Excluded::by)
                .contains(org.assertj.core.groups.Tuple.tuple(new dev.vigil.model.RuleId("strike"), "strike", "on strike"));
        assertThat(found.hits()).isEmpty();
    }

    @Test
    void thePackFindsTheCampaignWhereTheCountryIsNeverNamed() {
        // the shape of coverage news-dev shows: operation, command and theatre, no Venezuela or Maduro
        Matcher.Evaluation en = pack.evaluate("US military strikes another alleged drug boat in the eastern Pacific",
                "Southern Command said the lethal kinetic strike, ordered by Defense Secretary Pete Hegseth, killed three narco-terrorists.", "en");
        assertThat(en.hits()).extracting(t -> t.topic().value()).containsExactly("venezuela");
        Matcher.Evaluation es = pack.evaluate("", "El Comando Sur informó de un nuevo ataque contra una narcolancha en el Pacífico oriental; murieron dos narcoterroristas.", "es");
        assertThat(es.hits()).extracting(t -> t.topic().value()).containsExactly("venezuela");
        // the same military words about another war are not this situation
        assertThat(pack.evaluate("Israeli airstrikes kill dozens in Gaza", "The military said the strikes targeted Hamas commanders.", "en").topics()).isEmpty();
    }

    @Test
    void aSignalJustAfterABackgroundMarkerDoesNotCount() {
        Matcher m = rules("background: {within: 4, any: [amid, despite]}\n" + SITUATION);
        // the story's own event stands before the marker; what follows it sets the scene
        assertThat(m.evaluate("", "Venezuela: a strike on a boat amid sanctions.", null).signals()).extracting(s -> s.signal().value())
                .containsExactly("strike");
        Matcher.Evaluation background = m.evaluate("", "Venezuela's exports rose despite a strike on a boat.", null);
        assertThat(background.signals()).isEmpty();
        assertThat(background.excluded()).containsExactly(new Matcher.Excluded(new dev.vigil.model.RuleId("strike"), "strike", "despite"));
        // beyond the distance, a signal counts again
        assertThat(m.evaluate("", "Venezuela's exports rose despite the weather; weeks later came a strike on a boat.", null).signals()).hasSize(1);
    }

    @Test
    void aBackgroundClauseRunsToItsSentencesEndOrItsOpeningComma() {
        Matcher m = rules("background: {within: 30, any: [amid, despite, \"under pressure\"]}\n" + SITUATION);
        // the clause a marker opens is the setting, however far into the sentence the signal stands
        Matcher.Evaluation clause = m.evaluate("", "Venezuela's exports rose under pressure from Washington, which has attacked some twenty boats in the "
                + "Caribbean and threatened to strike targets on land.", null);
        assertThat(clause.signals()).isEmpty();
        assertThat(clause.excluded()).containsExactly(new Matcher.Excluded(new dev.vigil.model.RuleId("strike"), "strike", "under pressure"));
        // the next sentence is the story again, within the distance or not
        assertThat(m.evaluate("", "Venezuela's exports rose despite sanctions. The navy confirmed a strike on a boat.", null).signals())
                .extracting(s -> s.signal().value()).containsExactly("strike");
        // a marker that opens its sentence sets the scene up to its comma: the main clause is the story
        assertThat(m.evaluate("", "Oil rose. Amid the buildup near Venezuela, the navy carried out a strike on a boat.", null).signals())
                .extracting(s -> s.signal().value()).containsExactly("strike");
        assertThat(m.evaluate("", "Amid the buildup near Venezuela, the navy carried out a strike on a boat.", null).signals()).hasSize(1);
        // a full stop inside an abbreviation ends no sentence, nor does one before a lower-case word
        assertThat(m.evaluate("", "Venezuela's exports rose despite U.S. pressure and a strike on a boat.", null).signals()).isEmpty();
        assertThat(m.evaluate("", "Las exportaciones de Venezuela crecieron despite EE.UU. y su strike.", null).signals()).isEmpty();
    }
}

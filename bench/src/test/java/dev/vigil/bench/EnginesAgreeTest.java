package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmark compares like with like: on the benchmark corpus, Vigil's matcher and Lucene
 * Monitor loaded with the same rules find exactly the same (article, rule) pairs.
 */
class EnginesAgreeTest {

    static final String SEMANTICS = """
            languages: [en]
            topics:
              t1: {any: [strike]}
              t2: {any: ["aircraft carrier", "designat*"]}
              t3: {any: ["=strikes"]}
            signals:
              near: {weight: 1, any: [strike], near: {any: [boat, "drug vessel"], within: 2}}
              overlap: {weight: 1, any: [strike], not: ["labour strike", "strike a deal"]}
              window: {weight: 1, any: [strike], not: {any: [union], within: 2}}
              both: {weight: 1, any: [carrier], near: {any: [aircraft], within: 3}, not: ["wireless carrier"]}
              titleonly: {weight: 1, any: [boat], fields: {body: 0}}
            """;

    static final List<BenchArticle> CASES = List.of(
            new BenchArticle("1", "US strikes a boat", "The labour strike went on; they hope to strike a deal."),
            new BenchArticle("2", "", "strike one two boat. strike one two three boat. boat strike. Union said strike. union a b c strike."),
            new BenchArticle("3", "Struck drug vessel", "Aircraft carriers and a wireless carrier; aircraft, the carrier; designated and designation."),
            new BenchArticle("4", "Nothing", "A boat in the body only. Strikes!"),
            new BenchArticle("5", "Labour strike strike", "the strike a deal strike union"));

    @Test
    void sameMatchesOnHandWrittenCasesOfEverySemantics() {
        RuleSet rules = RulesLoader.parse("semantics.yaml", SEMANTICS);
        try (Engine vigil = Engine.of("vigil", rules); Engine monitor = Engine.of("monitor", rules)) {
            for (BenchArticle a : CASES) {
                assertThat(vigil.matchedRules(a)).as("article " + a.id()).isEqualTo(monitor.matchedRules(a));
            }
            assertThat(vigil.matchedRules(CASES.get(0))).as("the cases exercise the rules").contains("t1", "t3", "near", "overlap").doesNotContain("both", "t2");
        }
    }

    @ParameterizedTest
    @EnumSource(RuleGenerator.Mix.class)
    void sameMatchesOnTheBenchmarkCorpusWithAThousandRules(RuleGenerator.Mix mix) {
        assumeTrue(BenchCorpus.available(), "the shared corpora are absent");
        List<BenchArticle> corpus = BenchCorpus.load();
        assertThat(corpus).hasSizeGreaterThan(30).allSatisfy(a -> assertThat(a.body().length()).isBetween(2_000, 8 * 1024));
        RuleSet rules = Agreement.rules(corpus, 1000, mix);
        try (Engine vigil = Engine.of("vigil", rules); Engine monitor = Engine.of("monitor", rules)) {
            Agreement.Report report = Agreement.compare(vigil, monitor, corpus, 1000);
            assertThat(report.matchesA()).as("the rules match something").isGreaterThan(corpus.size());
            assertThat(report.agree()).as(report.toString()).isTrue();
        }
    }
}

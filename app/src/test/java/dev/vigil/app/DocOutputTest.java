package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison of a doc's output block with real output ({@link DocsCommandsIT} runs it on every doc). */
class DocOutputTest {

    private static DocOutput block(String... lines) {
        return new DocOutput("docs/x.md", 10, List.of(lines), false);
    }

    @Test
    void timesPortsChecksumsAndPathsThatVaryAreMasked() {
        DocOutput doc = block("== ALERT venezuela ELEVATED (firing, was normal) score 11.0 (elevated from 6.0)",
                "   window 2026-11-26 19:20Z .. 2026-11-27 19:20Z | rules sha256:796a3fb5edde | id venezuela.20261127T192037Z.1.elevated",
                "      El Observador | 2026-11-27 19:20Z | http://127.0.0.1:46115/observador/a.html",
                "vigil demo: first venezuela alert (elevated) delivered 24.1 s after launch, data in /home/me/vigil/data");
        assertThat(doc.compare(List.of("== ALERT venezuela ELEVATED (firing, was normal) score 11.0 (elevated from 6.0)",
                "   window 2026-12-01 01:44Z .. 2026-12-02 01:44Z | rules sha256:5a8210f94767 | id venezuela.20261202T014439Z.1.elevated",
                "      El Observador   | 2026-12-02 01:44Z | http://127.0.0.1:3541/observador/a.html   ",
                "vigil demo: first venezuela alert (elevated) delivered 9.0 s after launch, data in /tmp/junit1/data"))).isEmpty();
    }

    @Test
    void aScoreThatDriftedIsADifferenceNamingTheDocLine() {
        DocOutput doc = block("", "== ALERT venezuela ELEVATED (firing, was normal) score 8.0 (elevated from 6.0)", "   ...");
        var mismatch = doc.compare(List.of("== ALERT venezuela ELEVATED (firing, was normal) score 11.0 (elevated from 6.0)", "   1. a story"));
        assertThat(mismatch).isPresent();
        assertThat(mismatch.get().docLine()).isEqualTo(12);
        assertThat(mismatch.get().expected()).contains("score 8.0");
        assertThat(mismatch.get().actual()).contains("score 11.0");
    }

    @Test
    void anEllipsisLineStandsForAnyNumberOfLinesAndNothingElseIsSkipped() {
        DocOutput doc = block("first", "...", "last");
        assertThat(doc.compare(List.of("first", "last"))).isEmpty();
        assertThat(doc.compare(List.of("first", "a", "b", "last", ""))).isEmpty();
        assertThat(doc.compare(List.of("first", "a", "last", "more"))).get().extracting(DocOutput.Mismatch::expected).isEqualTo("(end of block)");
        assertThat(doc.compare(List.of("first"))).get().extracting(DocOutput.Mismatch::actual).isEqualTo("(end of output)");
        assertThat(block("first", "last").compare(List.of("first", "middle", "last"))).get()
                .extracting(DocOutput.Mismatch::docLine, DocOutput.Mismatch::actual).containsExactly(12, "middle");
    }

    @Test
    void numbersThatAreNotMeasuredDurationsAreCompared() {
        assertThat(block("backtest: 19 articles (0 lines skipped), 1 topics, 13 signals").compare(List.of("backtest: 18 articles (0 lines skipped), 1 topics, 13 signals")))
                .isPresent();
        assertThat(block("13 signals").compare(List.of("14 signals"))).isPresent();
    }
}

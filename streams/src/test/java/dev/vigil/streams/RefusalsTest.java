package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RefusalsTest {

    static final DeadLetter.Source AT_7 = new DeadLetter.Source("vigil.articles", 1, 7);

    @Test
    void aNewRefusalReplacesTheThreadOnceAndIsKnownBySourceAndKey() {
        Refusals refusals = new Refusals();
        assertThat(refusals.replaceFailedThread()).as("no refusal: a failure stops the instance").isFalse();
        refusals.refused(AT_7, "u-1".getBytes(StandardCharsets.UTF_8));
        assertThat(refusals.replaceFailedThread()).isTrue();
        assertThat(refusals.replaceFailedThread()).as("the next failure, without a new refusal").isFalse();
        assertThat(refusals.contains(AT_7, "u-other")).isTrue();
        // the handler may have seen a later record's offset: the key still finds it
        assertThat(refusals.contains(new DeadLetter.Source("vigil.articles", 1, 9), "u-1")).isTrue();
        assertThat(refusals.contains(new DeadLetter.Source("vigil.articles", 1, 9), "u-2")).isFalse();
    }

    @Test
    void theSameRecordRefusedTwiceStopsTheInstance() {
        Refusals refusals = new Refusals();
        refusals.refused(AT_7, "u-1".getBytes(StandardCharsets.UTF_8));
        refusals.refused(AT_7, "u-1".getBytes(StandardCharsets.UTF_8));
        assertThat(refusals.replaceFailedThread()).isFalse();
    }

    @Test
    void replacementsHaveABudget() {
        Refusals refusals = new Refusals();
        int replaced = 0;
        for (int i = 0; i < Refusals.MAX_REPLACEMENTS + 5; i++) {
            refusals.refused(new DeadLetter.Source("vigil.articles", 0, i), ("u-" + i).getBytes(StandardCharsets.UTF_8));
            replaced += refusals.replaceFailedThread() ? 1 : 0;
        }
        assertThat(replaced).isEqualTo(Refusals.MAX_REPLACEMENTS);
    }
}

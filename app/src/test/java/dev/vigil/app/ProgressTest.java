package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void onATerminalItCountsOnOneLineAndClearsItAtTheEnd() {
        StringWriter err = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(err, true), true, "checking", 2)) {
            p.step("a.xml");
            assertThat(err.toString()).isEqualTo("\rchecking 1/2 (50%) a.xml");
            p.step("b.xml");    // the last item is always drawn, however soon after the one before
            assertThat(err.toString()).endsWith("\rchecking 2/2 (100%) b.xml");
        }
        assertThat(err.toString()).endsWith("\r" + " ".repeat("checking 2/2 (100%) b.xml".length()) + "\r");
    }

    @Test
    void piped_itSaysNothing() {
        StringWriter err = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(err, true), false, "checking", 3)) {
            p.step("a");
            p.at(3);
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void underTestsThereIsNoTerminalSoLongCommandsStayQuiet() {
        assertThat(System.console()).as("surefire runs without a terminal; onTerminal() is silent there").isNull();
    }
}

package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void aValueCannotEndOrDisguiseALogLine() {
        String forged = "drill\r\n12:00:00.000 INFO  [main] dev.vigil.alerts - forged\u2028next\u2029para\u0085nel\u001b[31mred\u202eevil\u0000";
        String logged = LogText.of(forged).toString();
        assertThat(logged).doesNotContain("\r", "\n", "\u2028", "\u2029", "\u0085", "\u001b", "\u202e", "\u0000");
        assertThat(logged).isEqualTo("drill\\r\\n12:00:00.000 INFO  [main] dev.vigil.alerts - forged\\u2028next\\u2029para\\u0085nel\\u001b[31mred\\u202eevil\\u0000");
    }

    @Test
    void plainTextIsUnchangedAndABackslashIsDoubled() {
        assertThat(LogText.of("Carrier arrives in the Caribbean — día 3 «EE.UU.»").toString()).isEqualTo("Carrier arrives in the Caribbean — día 3 «EE.UU.»");
        assertThat(LogText.of("a\\nb").toString()).isEqualTo("a\\\\nb");
        assertThat(LogText.of(null).toString()).isEqualTo("null");
    }
}

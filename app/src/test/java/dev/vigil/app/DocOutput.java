package dev.vigil.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An output block of a doc: a fenced block whose info string is {@code text}, compared by
 * {@link DocsCommandsIT} with the real output of the last {@code vigil} command shown before it in
 * the same file (its standard output, unless redirected with {@code >}, then its standard error).
 * {@code text illustrative} marks a block that is shown for reading only and not compared. See
 * DEVELOPERS.md, "Output blocks in the docs".
 *
 * <p>Both sides are masked line by line with {@link #MASKS}, blank runs compare as one, trailing
 * blanks and blank lines at the start and end do not count, and a line {@code ...} in the doc
 * stands for any number of lines of output, none included. Everything else must be equal.
 *
 * @param file         the doc, relative to the repository
 * @param line         the line of the opening fence
 * @param lines        the block's lines, as written
 * @param illustrative whether the block is marked {@code text illustrative}
 */
record DocOutput(String file, int line, List<String> lines, boolean illustrative) {

    DocOutput {
        lines = List.copyOf(lines);
    }

    /** One rule of what varies from run to run, applied the same way to the doc and to the output. */
    record Mask(String what, Pattern pattern, String replacement) {
        Mask(String what, String regex, String replacement) {
            this(what, Pattern.compile(regex), replacement);
        }

        String apply(String line) {
            return pattern.matcher(line).replaceAll(replacement);
        }
    }

    /** The masks, in the order they apply; DEVELOPERS.md lists them. */
    static final List<Mask> MASKS = List.of(
            new Mask("date and time", "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z?", "<time>"),
            new Mask("compact time, in episode and alert ids", "\\d{8}T\\d{6}Z", "<time>"),
            new Mask("loopback port", "(127\\.0\\.0\\.1|localhost):\\d+", "$1:<port>"),
            new Mask("rules checksum", "sha256:[0-9a-f]{12,64}", "sha256:<hash>"),
            new Mask("silence id", "\\bs-[0-9a-f]{12}\\b", "s-<id>"),
            new Mask("absolute path", "(?<=^|[\\s(='\"])/[^\\s:)'\"]+", "<path>"),
            new Mask("measured duration", "\\b\\d+(\\.\\d+)? (ms|s)\\b", "<n> $2"),
            new Mask("run of blanks", "\\s+", " "));

    static final String ANY_LINES = "...";

    static String mask(String line) {
        String out = line;
        for (Mask m : MASKS) {
            out = m.apply(out);
        }
        return out.strip();
    }

    /** The lines as compared: masked, without blank lines at the start and the end. */
    static List<String> masked(List<String> lines) {
        List<String> out = new ArrayList<>(lines.stream().map(DocOutput::mask).toList());
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /**
     * Where the real output departs from the block: empty when it matches.
     *
     * @param docLine  the line in the doc of the first doc line that could not be matched
     * @param expected that line, masked ("(end of block)" when the output goes on)
     * @param actual   the output line found there, masked ("(end of output)" when there is none)
     */
    record Mismatch(int docLine, String expected, String actual) {
    }

    Optional<Mismatch> compare(String output) {
        return compare(output.lines().toList());
    }

    Optional<Mismatch> compare(List<String> output) {
        List<String> doc = masked(lines);
        List<String> out = masked(output);
        int d = doc.size();
        int o = out.size();
        // reach[i][j]: the first i doc lines match the first j output lines
        boolean[][] reach = new boolean[d + 1][o + 1];
        reach[0][0] = true;
        for (int i = 0; i <= d; i++) {
            for (int j = 0; j <= o; j++) {
                if (!reach[i][j] || i == d) {
                    continue;
                }
                if (isAnyLines(doc.get(i))) {
                    reach[i + 1][j] = true;       // none
                    if (j < o) {
                        reach[i][j + 1] = true;   // one more
                    }
                } else if (j < o && doc.get(i).equals(out.get(j))) {
                    reach[i + 1][j + 1] = true;
                }
            }
        }
        if (reach[d][o]) {
            return Optional.empty();
        }
        // the furthest doc line reached, and the first output line it was reached at: where they part
        for (int i = d; i >= 0; i--) {
            for (int j = 0; j <= o; j++) {
                if (reach[i][j]) {
                    String expected = i < d ? doc.get(i) : "(end of block)";
                    String actual = j < o ? out.get(j) : "(end of output)";
                    return Optional.of(new Mismatch(docLineOf(i), expected, actual));
                }
            }
        }
        throw new IllegalStateException("reach[0][0] is always set");
    }

    private static boolean isAnyLines(String maskedLine) {
        return maskedLine.equals(ANY_LINES) || maskedLine.equals("…");
    }

    /** The doc line of the i-th masked line (blank lines at the start were dropped). */
    private int docLineOf(int maskedIndex) {
        int leading = 0;
        while (leading < lines.size() && mask(lines.get(leading)).isEmpty()) {
            leading++;
        }
        return line + 1 + leading + maskedIndex;
    }
}

package dev.vigil.ingest;

import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.ingest.extract.ExtractionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.jsoup.Jsoup;

/**
 * The extraction half of the load harness: the dev corpus pages extracted from bytes on one
 * thread after one warm-up round, against Jsoup parsing the same bytes alone. A plain
 * {@code main} as well, so that two builds of the extractor (say, a saved baseline's classes and
 * this one's) can be timed back to back in one command on a shared machine (BENCHMARKS.md).
 */
final class ExtractionSpeed {

    /**
     * The figures, by the wall clock and by the thread's CPU time: on a shared machine other
     * processes take the core away now and then, which the wall clock counts and CPU time does not,
     * so pages per CPU second is the steadier "pages/s on one core".
     */
    record Result(int pages, int rounds, int perRound, double pagesPerSecond, double parsePerSecond,
                  double pagesPerCpuSecond, double parsePerCpuSecond, int extracted) {
        String line() {
            return String.format(Locale.ROOT,
                    "extraction: %d pages (%d rounds of %d), one thread: %.0f pages/s (%.0f per CPU second); "
                            + "baseline Jsoup parse only: %.0f pages/s (%.0f per CPU second); extraction costs %.2fx a parse (CPU); %d extracted%n",
                    pages, rounds, perRound, pagesPerSecond, pagesPerCpuSecond, parsePerSecond, parsePerCpuSecond,
                    parsePerCpuSecond / pagesPerCpuSecond, extracted);
        }
    }

    private ExtractionSpeed() {
    }

    static Result measure(Path root, int rounds) throws IOException {
        List<byte[]> pages = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".html")).sorted().toList()) {
                pages.add(Files.readAllBytes(p));
            }
        }
        ArticleExtractor extractor = new ArticleExtractor();
        // warm up the JIT on one round of each, then measure
        for (byte[] p : pages) {
            extract(extractor, p);
            Jsoup.parse(new String(p, StandardCharsets.UTF_8));
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long parse0 = System.nanoTime();
        long parseCpu0 = cpu.getCurrentThreadCpuTime();
        for (int r = 0; r < rounds; r++) {
            for (byte[] p : pages) {
                Jsoup.parse(new ByteArrayInputStream(p), null, "http://example.invalid/");
            }
        }
        long parse = System.nanoTime() - parse0;
        long parseCpu = cpu.getCurrentThreadCpuTime() - parseCpu0;
        long t0 = System.nanoTime();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        int ok = 0;
        for (int r = 0; r < rounds; r++) {
            for (byte[] p : pages) {
                ok += extract(extractor, p);
            }
        }
        long took = System.nanoTime() - t0;
        long tookCpu = cpu.getCurrentThreadCpuTime() - cpu0;
        int n = rounds * pages.size();
        return new Result(n, rounds, pages.size(), n / (took / 1e9), n / (parse / 1e9), n / (tookCpu / 1e9), n / (parseCpu / 1e9), ok);
    }

    private static int extract(ArticleExtractor extractor, byte[] page) {
        try {
            extractor.extract(page, Optional.empty(), "http://example.invalid/");
            return 1;
        } catch (ExtractionException e) {
            return 0;
        }
    }

    /** {@code java -cp CLASSES:TEST-CLASSES:LIBS dev.vigil.ingest.ExtractionSpeed CORPUS-DIR ROUNDS}. */
    public static void main(String[] args) throws IOException {
        System.out.print(measure(Path.of(args[0]), Integer.parseInt(args[1])).line());
    }
}

package dev.vigil.bench;

import dev.vigil.streams.rules.Matcher;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * CPU time per article of {@code Matcher.evaluate} over the benchmark corpus and generated rules: the
 * thread's CPU time, which a loaded machine disturbs far less than JMH's wall-clock throughput. For A/B
 * runs of two builds back to back (BENCHMARKS.md): {@code java -cp bench/target/vigil-bench.jar
 * dev.vigil.bench.MatcherCpuTime LABEL [mix:rules,...]}.
 */
public final class MatcherCpuTime {
    /** Where the results go, so the JIT cannot drop the work. */
    static volatile long sink;

    private MatcherCpuTime() {
    }

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<BenchArticle> articles = BenchCorpus.load();
        StringBuilder out = new StringBuilder(args[0]);
        for (String spec : List.of(args.length > 1 ? args[1].split(",") : new String[] {"typical:1000", "typical:10000", "broad:1000", "broad:10000"})) {
            String[] p = spec.split(":");
            Matcher m = new Matcher(Agreement.rules(articles, Integer.parseInt(p[1]), RuleGenerator.Mix.valueOf(p[0].toUpperCase(java.util.Locale.ROOT))));
            long sink = 0;
            for (int i = 0; i < 4000; i++) { // warm-up
                BenchArticle a = articles.get(i % articles.size());
                sink += m.evaluate(a.title(), a.body(), "en").signals().size();
            }
            int n = 8000;
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                BenchArticle a = articles.get(i % articles.size());
                sink += m.evaluate(a.title(), a.body(), "en").signals().size();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            out.append(String.format(java.util.Locale.ROOT, " %s=%.1fus", spec, (t1 - t0) / 1000.0 / n));
            MatcherCpuTime.sink = sink;
        }
        System.out.println(out);
    }
}

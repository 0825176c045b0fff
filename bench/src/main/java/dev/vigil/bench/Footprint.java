package dev.vigil.bench;

import dev.vigil.streams.rules.RuleSet;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap held by a compiled rule set, per 1,000 rules: build several engines for the same rules,
 * keep them, and divide the growth of the heap used after full collections. Vigil's per-thread word
 * cache is measured apart, after tagging the whole corpus once: it grows with the vocabulary read,
 * not with the rules. Run with {@code java -cp bench/target/vigil-bench.jar dev.vigil.bench.Footprint}.
 */
public final class Footprint {

    private static final int COPIES = 3;

    private Footprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<BenchArticle> corpus = BenchCorpus.load();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int count : new int[] {1000, 10000}) {
            RuleSet rules = Agreement.rules(corpus, count, RuleGenerator.Mix.TYPICAL);
            for (String name : new String[] {"vigil", "monitor"}) {
                long before = used(memory);
                List<Engine> kept = new ArrayList<>();
                for (int i = 0; i < COPIES; i++) {
                    kept.add(Engine.of(name, rules));
                }
                long compiled = used(memory);
                kept.forEach(e -> corpus.forEach(e::tag));
                long afterTagging = used(memory);
                double perThousand = (compiled - before) / (double) COPIES / count * 1000;
                System.out.printf(Locale.ROOT, "%-7s %6d rules: %8.0f KiB per 1,000 rules (compiled); %8.0f KiB more per engine after tagging the corpus once%n",
                        name, count, perThousand / 1024, (afterTagging - compiled) / (double) COPIES / 1024);
                kept.forEach(Engine::close);
                kept.clear();
            }
        }
    }

    private static long used(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

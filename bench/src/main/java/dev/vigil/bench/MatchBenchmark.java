package dev.vigil.bench;

import dev.vigil.streams.rules.RuleSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Articles tagged per second on one thread (so per core), for each engine and rule count: one
 * operation is one 3–8 KB article, title and body, cycling through the corpus. Vigil's engine does
 * what the tagging step does (every rule, with evidence); Lucene Monitor matches the article
 * against its stored queries; the regex baseline runs one pattern per rule.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class MatchBenchmark {

    @Param({"10", "100", "1000", "10000"})
    int rules;

    /** {@code tokenizer} is the reference: the tokenizer alone, the ceiling of every engine here. */
    @Param({"vigil", "monitor", "regex", "tokenizer"})
    String engine;

    /** How selective the generated rules are: {@code typical} (an article matches ~1.3% of them) or {@code broad} (~5%). */
    @Param({"typical", "broad"})
    String mix;

    private List<BenchArticle> articles;
    private Engine tagger;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        articles = BenchCorpus.load();
        RuleSet ruleSet = Agreement.rules(articles, rules, RuleGenerator.Mix.valueOf(mix.toUpperCase(java.util.Locale.ROOT)));
        tagger = Engine.of(engine, ruleSet);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tagger.close();
    }

    @Benchmark
    public Object tagOneArticle() {
        BenchArticle article = articles.get(next);
        next = next + 1 == articles.size() ? 0 : next + 1;
        return tagger.tag(article);
    }
}

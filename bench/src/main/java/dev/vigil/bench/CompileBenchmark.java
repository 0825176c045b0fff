package dev.vigil.bench;

import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to make a rule set usable: for Vigil, validating the file ({@code parse}) and compiling the
 * index ({@code compile}); for Lucene Monitor, building the monitor and registering every query.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class CompileBenchmark {

    @Param({"10", "100", "1000", "10000"})
    int rules;

    private String yaml;
    private RuleSet ruleSet;
    private Engine built;

    @Setup(Level.Trial)
    public void setUp() {
        yaml = new RuleGenerator(BenchCorpus.load()).yaml(rules, 42, RuleGenerator.Mix.TYPICAL);
        ruleSet = RulesLoader.parse("generated.yaml", yaml);
    }

    @TearDown(Level.Invocation)
    public void close() {
        if (built != null) {
            built.close();
            built = null;
        }
    }

    @Benchmark
    public Object vigilParse() {
        return RulesLoader.parse("generated.yaml", yaml);
    }

    @Benchmark
    public Object vigilCompile() {
        built = new VigilEngine(ruleSet);
        return built;
    }

    @Benchmark
    public Object monitorRegister() {
        built = new MonitorEngine(ruleSet);
        return built;
    }
}

package dev.vigil.app;

import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.model.TopicScore;
import dev.vigil.streams.Backtest;
import dev.vigil.streams.scoring.ScoringParameters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vigil backtest}: the streams topology over a file of past articles, offline. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Run the scoring topology over a file of past articles, in event-time order, and print every alert it would have raised.",
                "Alerts go to standard output as JSON lines (the vigil.alerts format); a summary of the timeline goes to standard error,",
                "and on a terminal, progress too."},
        footerHeading = "%nExample:%n",
        footer = {"  vigil backtest --rules rules.yaml --articles examples/venezuela-articles.jsonl > alerts.jsonl",
                "%nArticles: one JSON object per line with id, url, title, text, published (ISO-8601), source.",
                "Exit codes: 0 ran (lines that could not be used are listed), 2 invalid rules or no usable article."})
final class BacktestCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.Rules rules;

    @Option(names = "--articles", paramLabel = "FILE", required = true, description = "Articles as JSON Lines.")
    Path articles;

    @Option(names = "--then", paramLabel = "DURATION", defaultValue = "0s", converter = CommonOptions.DurationConverter.class,
            description = "Let the clock run this long past the last article, to see what would resolve (default: ${DEFAULT-VALUE}).")
    Duration then;

    @Override
    public Integer call() throws IOException {
        var ruleSet = rules.load();
        if (!Files.isReadable(articles)) {
            throw new ParameterException(spec.commandLine(), "--articles: cannot read " + articles);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Backtest.Input input = Backtest.read(articles);
        input.problems().forEach(p -> err.println("vigil backtest: " + articles + " " + p + " (skipped)"));
        if (input.articles().isEmpty()) {
            err.println("vigil backtest: no usable article in " + articles);
            return Vigil.EXIT_INVALID;
        }
        Path stateDir = Files.createTempDirectory("vigil-backtest");
        Backtest.Result result;
        try (Progress progress = Progress.onTerminal(err, "backtest:", input.articles().size())) {
            result = new Backtest(ruleSet, ScoringParameters.DEFAULT).run(input.articles(), then, stateDir, done -> progress.at(done));
        } finally {
            Files.walk(stateDir).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        for (Alert alert : result.alerts()) {
            out.println(Json.mapper().writeValueAsString(alert));
        }
        out.flush();
        summary(err, input, result, ruleSet.version());
        return 0;
    }

    private void summary(PrintWriter err, Backtest.Input input, Backtest.Result result, String version) {
        var first = input.articles().get(0).fetched();
        var last = input.articles().get(input.articles().size() - 1).fetched();
        err.printf("%nbacktest: %d articles (%d lines skipped) from %s to %s, rules %s%n", result.articles(), input.problems().size(),
                TIME.format(first), TIME.format(last), version);
        if (result.alerts().isEmpty()) {
            err.println("  no topic changed level");
        }
        for (Alert a : result.alerts()) {
            Alert.Data d = a.data();
            err.printf(Locale.ROOT, "  %s  %-12s %-8s -> %-8s score %5.1f  (%s)%n", TIME.format(a.time()), d.topic(), d.previousLevel().wireName(),
                    d.level().wireName(), d.score(), d.transition().wireName());
        }
        for (TopicScore s : result.finalScores().values()) {
            err.printf(Locale.ROOT, "  at the end: %s %s, score %.1f, %d stories from %d outlets%n", s.topic(), s.level().wireName(), s.score(),
                    s.stories(), s.sources());
        }
        err.flush();
    }
}

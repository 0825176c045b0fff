package dev.vigil.app;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.model.Evidence;
import dev.vigil.model.Json;
import dev.vigil.model.RulesRelease;
import dev.vigil.model.TopicMatch;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.rules.Matcher;
import dev.vigil.streams.rules.RuleQuality;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import dev.vigil.streams.rules.TopicRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil rules}: what operators do with rule files, before and while they are live. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Validate a rules file, test it on texts, pages or past articles, and apply it to the running pipeline.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class, RulesCommand.Eval.class, RulesCommand.Apply.class},
        footerHeading = "%nExample:%n",
        footer = {"  vigil rules validate rules.yaml",
                "  vigil rules test --rules rules.yaml --jsonl last-week.jsonl > matches.jsonl",
                "  vigil rules eval --rules rules.yaml --labels labelled.jsonl --min-precision 0.95 --min-recall 0.9",
                "  vigil rules apply rules.yaml --comment 'exclude lightning strikes' --bootstrap-servers kafka:9092"})
final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** What {@code rules test} and {@code rules eval} take: a vigil.yaml and the rules file to read. */
    abstract static class OnRules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Rules rules;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a rules file as a whole: exit 0, or 2 with every problem as file:line:column: key: reason.",
            footerHeading = "%nExample:%n", footer = "  vigil rules validate rules.yaml")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The rules file.")
        Path file;

        @Override
        public Integer call() {
            RuleSet rules = RulesLoader.load(file);
            spec.commandLine().getOut().printf("%s: valid, %d topics, %d signals, languages %s, %s%n", file, rules.topics().size(),
                    rules.signals().size(), rules.languages().stream().map(l -> l.code()).toList(), rules.checksum());
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Run rules over a text, an article page or a file of past articles.",
                    "Prints one JSON line per article:",
                    "{\"id\",\"topics\",\"signals\",\"hits\",\"score\",\"evidence\":[{\"rule\",\"term\",\"field\",\"offset\",\"end\",\"snippet\"}],",
                    "\"excluded\":[{\"rule\",\"term\",\"by\"}],\"nearMisses\":[{\"topic\",\"missing\",…}]}.",
                    "hits are the topics the article counts toward as an escalation (what scoring adds up); score is what it adds to them",
                    "(0 when none). nearMisses say why a topic was not hit: a topic without enough signal, or signals without the topic.",
                    "A summary goes to standard error."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil rules test --text 'US strikes another drug boat off Venezuela'",
                    "  vigil rules test --rules rules.yaml --file saved-page.html",
                    "  vigil rules test --rules rules.yaml --jsonl articles.jsonl   # lines of {id, url, title, text, published, source}"})
    static final class Test extends OnRules {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Input input;

        @Option(names = "--title", paramLabel = "TITLE", description = "With --text: the headline (the title weighs more than the body).")
        String title;

        @Option(names = "--language", paramLabel = "TAG", description = "With --text or --file: the article's language (en, es); default: unknown, read in every language of the rules.")
        String language;

        static final class Input {
            @Option(names = "--text", paramLabel = "TEXT", required = true, description = "Text to test, as an article body.")
            String text;

            @Option(names = "--file", paramLabel = "PAGE.html", required = true, description = "An article page, extracted as ingest would.")
            Path page;

            @Option(names = "--jsonl", paramLabel = "ARTICLES.jsonl", required = true,
                    description = "Articles, one JSON object a line: id, url, title, text, published, source (and language); - reads standard input.")
            String jsonl;
        }

        @Override
        public Integer call() throws Exception {
            Matcher matcher = new Matcher(rules.load());
            PrintWriter out = spec.commandLine().getOut();
            Summary summary = new Summary();
            if (input.text != null) {
                print(out, summary, TestArticle.of("text", title, input.text, language), matcher);
            } else if (input.page != null) {
                // the page's bytes, so its charset is read the way ingest reads it
                ArticleExtractor.Extracted page = new ArticleExtractor().extract(Files.readAllBytes(input.page), Optional.empty(), input.page.toUri().toString());
                String lang = language != null ? language : page.language().orElse(null);
                print(out, summary, TestArticle.of(input.page.getFileName().toString(), page.title(), page.text(), lang), matcher);
            } else {
                jsonl(out, summary, matcher);
            }
            out.flush();
            spec.commandLine().getErr().println(summary.describe(matcher.rules()));
            return summary.unreadable > 0 ? Vigil.EXIT_FAILED : 0;
        }

        private void jsonl(PrintWriter out, Summary summary, Matcher matcher) throws IOException {
            summary.unreadable += readArticles(spec, input.jsonl, (number, article) -> print(out, summary, article, matcher));
        }

        private static void print(PrintWriter out, Summary summary, TestArticle article, Matcher matcher) {
            Matcher.Evaluation found = matcher.evaluate(article.title(), article.text(), article.language());
            try {
                out.println(Json.mapper().writeValueAsString(TestResult.of(article.id(), found, matcher.rules())));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("a test result is plain data and always writes as JSON", e);
            }
            summary.count(found.topics());
        }
    }

    /** What a line of {@code --jsonl} or {@code --labels} held: an article, numbered from 1. */
    interface ArticleLine {
        void accept(int number, TestArticle article);
    }

    /**
     * Reads article lines from a file ({@code -}: standard input), reporting each line that is not an
     * article as {@code file:line:column: not an article: …}; returns how many were not.
     */
    static int readArticles(CommandSpec spec, String file, ArticleLine each) throws IOException {
        String name = file.equals("-") ? "standard input" : file;
        int unreadable = 0;
        try (BufferedReader lines = file.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                TestArticle article;
                try {
                    article = Json.mapper().readValue(line, TestArticle.class);
                } catch (JsonProcessingException e) {
                    JsonLocation at = e.getLocation();
                    unreadable++;
                    spec.commandLine().getErr().printf("%s:%d:%d: not an article: %s%n", name, number, at == null ? 0 : at.getColumnNr(),
                            e.getOriginalMessage());
                    continue;
                }
                each.accept(number, article.withDefaultId("line-" + number));
            }
        }
        return unreadable;
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Measure rules against labelled articles: per topic precision, recall and F1, then every miss and false alarm with its evidence.",
                    "Labels are article lines (id, url, title, text, published, source, language) with \"topics\": the topics the article should",
                    "count toward as an escalation hit ([] for none). A hit is the decision rules test prints as hits and scoring adds up.",
                    "With --min-precision or --min-recall, exit 1 when a topic falls short, so a rule change can be gated."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil rules eval --labels labelled.jsonl",
                    "  vigil rules eval --rules rules.yaml --labels labelled.jsonl --format json --min-precision 0.95 --min-recall 0.9"})
    static final class Eval extends OnRules {
        @Option(names = "--labels", paramLabel = "FILE.jsonl", required = true, description = "Labelled articles, one JSON object a line; - reads standard input.")
        String labels;

        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "text (default) or json: one object {topics, misses, falseAlarms}.")
        String format;

        @Option(names = "--min-precision", paramLabel = "P", description = "Exit 1 when a topic's precision is under P (0 to 1).")
        Double minPrecision;

        @Option(names = "--min-recall", paramLabel = "R", description = "Exit 1 when a topic's recall is under R (0 to 1).")
        Double minRecall;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("text") && !format.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format: expected text or json, found '" + format + "'");
            }
            for (Double bar : new Double[] {minPrecision, minRecall}) {
                if (bar != null && !(bar >= 0 && bar <= 1)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--min-precision, --min-recall: expected a fraction from 0 to 1, found " + bar);
                }
            }
            Matcher matcher = new Matcher(rules.load());
            List<RuleQuality.Labelled> labelled = new ArrayList<>();
            String name = labels.equals("-") ? "standard input" : labels;
            int[] unlabelled = {0};
            int unreadable = readArticles(spec, labels, (number, a) -> {
                if (a.topics() == null) {
                    unlabelled[0]++;
                    spec.commandLine().getErr().printf("%s:%d:1: not a labelled article: missing \"topics\" (the topics it should hit, [] for none)%n", name, number);
                } else {
                    labelled.add(new RuleQuality.Labelled(a.id(), a.title(), a.text(), a.language(), Set.copyOf(a.topics())));
                }
            });
            RuleQuality.Report report = RuleQuality.of(matcher, labelled);
            PrintWriter out = spec.commandLine().getOut();
            if (format.equals("json")) {
                out.println(Json.mapper().writeValueAsString(EvalReport.of(report, matcher.rules())));
            } else {
                text(out, report, matcher.rules(), labelled.size());
            }
            out.flush();
            List<String> shortfalls = new ArrayList<>();
            report.topics().forEach((topic, c) -> {
                if (minPrecision != null && c.precision() < minPrecision) {
                    shortfalls.add(String.format(Locale.ROOT, "%s: precision %.3f is under %.3f", topic, c.precision(), minPrecision));
                }
                if (minRecall != null && c.recall() < minRecall) {
                    shortfalls.add(String.format(Locale.ROOT, "%s: recall %.3f is under %.3f", topic, c.recall(), minRecall));
                }
            });
            shortfalls.forEach(line -> spec.commandLine().getErr().println("vigil rules eval: " + line));
            if (labelled.isEmpty()) {
                spec.commandLine().getErr().println("vigil rules eval: no labelled article in " + name);
                return Vigil.EXIT_INVALID;
            }
            return shortfalls.isEmpty() && unreadable + unlabelled[0] == 0 ? 0 : Vigil.EXIT_FAILED;
        }

        private static void text(PrintWriter out, RuleQuality.Report report, RuleSet rules, int articles) {
            out.printf(Locale.ROOT, "rules %s: %d labelled articles%n", rules.version(), articles);
            out.printf(Locale.ROOT, "%-20s %9s %6s %6s %5s %5s %5s%n", "topic", "precision", "recall", "F1", "tp", "fp", "fn");
            report.topics().forEach((topic, c) -> out.printf(Locale.ROOT, "%-20s %9.3f %6.3f %6.3f %5d %5d %5d%n", topic, c.precision(), c.recall(),
                    c.f1(), c.tp(), c.fp(), c.fn()));
            for (var mistakes : List.of(Map.entry("miss", report.misses()), Map.entry("false alarm", report.falseAlarms()))) {
                for (RuleQuality.Mistake m : mistakes.getValue()) {
                    TestResult r = TestResult.of(m.article().id(), m.found(), rules);
                    out.printf("%n%s %s %s \"%s\"%n", mistakes.getKey(), m.topic(), m.article().id(), m.article().title());
                    out.println("  matched: topics " + r.topics() + ", signals " + r.signals() + ", hits " + r.hits());
                    r.evidence().forEach(e -> out.println("  " + e.rule() + " '" + e.term() + "' (" + e.field().name().toLowerCase(Locale.ROOT) + "): " + e.snippet()));
                    r.excluded().forEach(e -> out.println("  excluded: " + e.rule() + " '" + e.term() + "' by '" + e.by() + "'"));
                    r.nearMisses().stream().filter(n -> n.topic().equals(m.topic())).forEach(n -> out.println("  missing: " + n.describe()));
                }
            }
        }
    }

    /** {@code rules eval --format json}. */
    record EvalReport(Map<String, TopicFigures> topics, List<EvalMistake> misses, List<EvalMistake> falseAlarms) {
        static EvalReport of(RuleQuality.Report report, RuleSet rules) {
            Map<String, TopicFigures> topics = new LinkedHashMap<>();
            report.topics().forEach((t, c) -> topics.put(t, new TopicFigures(c.tp(), c.fp(), c.fn(), c.precision(), c.recall(), c.f1())));
            return new EvalReport(topics, report.misses().stream().map(m -> EvalMistake.of(m, rules)).toList(),
                    report.falseAlarms().stream().map(m -> EvalMistake.of(m, rules)).toList());
        }
    }

    record TopicFigures(int tp, int fp, int fn, double precision, double recall, double f1) {
    }

    /** A miss or a false alarm: the article, the topic, and what the rules found in it (as {@code rules test} prints it). */
    record EvalMistake(String id, String title, String topic, TestResult found) {
        static EvalMistake of(RuleQuality.Mistake m, RuleSet rules) {
            return new EvalMistake(m.article().id(), m.article().title(), m.topic(), TestResult.of(m.article().id(), m.found(), rules));
        }
    }

    /** An article as {@code --jsonl} lines carry it; everything but the text is optional. */
    record TestArticle(String id, String url, String title, String text, String published, String source, String language, List<String> topics) {
        TestArticle {
            title = Objects.requireNonNullElse(title, "");
            text = Objects.requireNonNullElse(text, "");
        }

        static TestArticle of(String id, String title, String text, String language) {
            return new TestArticle(id, null, title, text, null, null, language, null);
        }

        TestArticle withDefaultId(String fallback) {
            return id != null && !id.isBlank() ? this : new TestArticle(fallback, url, title, text, published, source, language, topics);
        }
    }

    /** One line of {@code vigil rules test} output: what matched, the decision ({@code hits}), and why a topic was not hit. */
    record TestResult(String id, List<String> topics, List<String> signals, List<String> hits, double score, List<Evidence> evidence,
            List<Matcher.Excluded> excluded, List<NearMiss> nearMisses) {

        static TestResult of(String id, Matcher.Evaluation found, RuleSet rules) {
            List<Evidence> evidence = new ArrayList<>();
            found.topics().forEach(t -> evidence.addAll(t.topicEvidence()));
            found.signals().forEach(s -> evidence.addAll(s.evidence()));
            List<TopicMatch> hits = found.hits();
            double score = hits.isEmpty() ? 0 : hits.get(0).weight();
            return new TestResult(id, found.topics().stream().map(t -> t.topic().value()).toList(),
                    found.signals().stream().map(s -> s.signal().value()).toList(), hits.stream().map(t -> t.topic().value()).toList(), score, evidence,
                    found.excluded(), NearMiss.of(found, rules));
        }
    }

    /**
     * Why a topic was not hit: {@code missing} is {@code signal} (the topic matched, its signals add
     * {@code weight}, under {@code minWeight}) or {@code topic} (signals were found; {@code context}
     * says how many of the entries it needs the topic's context reached, when any).
     */
    record NearMiss(String topic, String missing, double weight, double minWeight, String context) {
        static List<NearMiss> of(Matcher.Evaluation found, RuleSet rules) {
            List<NearMiss> out = new ArrayList<>();
            for (TopicRule topic : rules.topics()) {
                String name = topic.name().value();
                boolean matched = found.topics().stream().anyMatch(t -> t.topic().equals(topic.name()));
                if (matched && !found.hits(name)) {
                    out.add(new NearMiss(name, "signal", found.signalWeight(), topic.minWeight(), null));
                } else if (!matched && !found.signals().isEmpty()) {
                    String context = found.partial().stream().filter(p -> p.topic().equals(topic.name())).findFirst()
                            .map(p -> p.found() + " of " + p.need() + " " + p.evidence().stream().map(Evidence::term).toList()).orElse(null);
                    out.add(new NearMiss(name, "topic", found.signalWeight(), topic.minWeight(), context));
                }
            }
            return out;
        }

        String describe() {
            if (missing.equals("signal")) {
                return weight == 0 ? "signal: the topic matched, but no signal was found"
                        : String.format(Locale.ROOT, "signal: the topic matched, but its signals add %.1f, under the %.1f it needs", weight, minWeight);
            }
            return "topic: signals add " + String.format(Locale.ROOT, "%.1f", weight) + ", but the topic did not match"
                            + (context == null ? "" : " (context " + context + ")");
        }
    }

    /** What a test run found, for the line on standard error. */
    private static final class Summary {
        int articles;
        int unreadable;
        final Map<String, int[]> topics = new TreeMap<>();

        void count(List<TopicMatch> matches) {
            articles++;
            for (TopicMatch m : matches) {
                int[] n = topics.computeIfAbsent(m.topic().value(), t -> new int[2]);
                n[0]++;
                if (m.escalates()) {
                    n[1]++;
                }
            }
        }

        String describe(RuleSet rules) {
            StringBuilder out = new StringBuilder("rules " + rules.version() + ": " + articles + (articles == 1 ? " article" : " articles"));
            topics.forEach((topic, n) -> out.append(", ").append(topic).append(" ").append(n[0]).append(" (").append(n[1]).append(" escalating)"));
            if (unreadable > 0) {
                out.append(", ").append(unreadable).append(" unreadable line").append(unreadable == 1 ? "" : "s");
            }
            return out.toString();
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Validate a rules file and publish it as the next release, live.",
                    "The release goes to vigil.rules (compacted): running streams services switch to it without a restart and stamp",
                    "its version on every article and alert they tag.",
                    "An invalid file is never published (exit 2). Applying the rules already in force publishes nothing."},
            footerHeading = "%nExample:%n",
            footer = "  vigil rules apply rules.yaml --comment 'exclude lightning strikes' --bootstrap-servers kafka:9092")
    static final class Apply extends KafkaCommand {
        @Parameters(paramLabel = "FILE", description = "The rules file.")
        Path file;

        @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "", description = "Why: kept with the release.")
        String comment;

        @Option(names = "--author", paramLabel = "NAME", defaultValue = "${env:USER:-${sys:user.name}}",
                description = "Who applies it (default: the user running the command).")
        String author;

        @Override
        public Integer call() {
            KafkaConnection bootstrap = kafka.required(spec);
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
            }
            RuleSet rules = RulesLoader.parse(file.toString(), text);
            TopicAdmin.ensureTopics(bootstrap, kafka.createTopics());
            RulesTopic topic = new RulesTopic(bootstrap);
            RulesRelease current = topic.latest().orElse(null);
            if (current != null && current.checksum().equals(rules.checksum())) {
                spec.commandLine().getOut().printf("%s is already in force as %s (applied by %s at %s); nothing published%n", file, current.label(),
                        current.author(), current.appliedAt());
                return 0;
            }
            int version = current == null ? 1 : current.version() + 1;
            RulesRelease release = new RulesRelease(RulesRelease.SCHEMA_VERSION, version, rules.checksum(), author, Instant.now(Clock.systemUTC()),
                    comment, file.getFileName().toString(), text);
            topic.publish(release);
            spec.commandLine().getOut().printf("applied %s as %s: %d topics, %d signals%s%n", file, release.label(), rules.topics().size(),
                    rules.signals().size(), current == null ? "" : " (was " + current.label() + ")");
            return 0;
        }
    }
}

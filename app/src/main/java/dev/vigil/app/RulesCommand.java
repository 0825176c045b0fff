package dev.vigil.app;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.model.Evidence;
import dev.vigil.model.Json;
import dev.vigil.model.RulesRelease;
import dev.vigil.model.SignalHit;
import dev.vigil.model.TopicMatch;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.rules.Matcher;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
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
import java.util.List;
import java.util.Optional;
import java.util.Map;
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
        subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class, RulesCommand.Apply.class},
        footerHeading = "%nExample:%n",
        footer = {"  vigil rules validate rules.yaml",
                "  vigil rules test --rules rules.yaml --jsonl last-week.jsonl > matches.jsonl",
                "  vigil rules apply rules.yaml --comment 'exclude lightning strikes' --bootstrap-servers kafka:9092"})
final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
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
                    "{\"id\",\"topics\",\"signals\",\"score\",\"evidence\":[{\"rule\",\"term\",\"field\",\"offset\",\"end\",\"snippet\"}]}.",
                    "score is what the article adds to each topic it is about (0 when it is about none). A summary goes to standard error."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil rules test --text 'US strikes another drug boat off Venezuela'",
                    "  vigil rules test --rules rules.yaml --file saved-page.html",
                    "  vigil rules test --rules rules.yaml --jsonl articles.jsonl   # lines of {id, url, title, text, published, source}"})
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Rules rules;

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
            String name = input.jsonl.equals("-") ? "standard input" : input.jsonl;
            try (BufferedReader lines = input.jsonl.equals("-")
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(input.jsonl), StandardCharsets.UTF_8)) {
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
                        summary.unreadable++;
                        spec.commandLine().getErr().printf("%s:%d:%d: not an article: %s%n", name, number, at == null ? 0 : at.getColumnNr(),
                                e.getOriginalMessage());
                        continue;
                    }
                    print(out, summary, article.withDefaultId("line-" + number), matcher);
                }
            }
        }

        private static void print(PrintWriter out, Summary summary, TestArticle article, Matcher matcher) {
            Matcher.Evaluation found = matcher.evaluate(article.title(), article.text(), article.language());
            List<Evidence> evidence = new ArrayList<>();
            found.topics().forEach(t -> evidence.addAll(t.topicEvidence()));
            found.signals().forEach(s -> evidence.addAll(s.evidence()));
            double score = found.topics().isEmpty() ? 0 : found.topics().get(0).weight();
            TestResult result = new TestResult(article.id(), found.topics().stream().map(t -> t.topic().value()).toList(),
                    found.signals().stream().map(s -> s.signal().value()).toList(), score, evidence);
            try {
                out.println(Json.mapper().writeValueAsString(result));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("a test result is plain data and always writes as JSON", e);
            }
            summary.count(found.topics());
        }
    }

    /** An article as {@code --jsonl} lines carry it; everything but the text is optional. */
    record TestArticle(String id, String url, String title, String text, String published, String source, String language) {
        TestArticle {
            title = Objects.requireNonNullElse(title, "");
            text = Objects.requireNonNullElse(text, "");
        }

        static TestArticle of(String id, String title, String text, String language) {
            return new TestArticle(id, null, title, text, null, null, language);
        }

        TestArticle withDefaultId(String fallback) {
            return id != null && !id.isBlank() ? this : new TestArticle(fallback, url, title, text, published, source, language);
        }
    }

    /** One line of {@code vigil rules test} output. */
    record TestResult(String id, List<String> topics, List<String> signals, double score, List<Evidence> evidence) {
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
    static final class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Kafka kafka;

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

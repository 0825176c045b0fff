package dev.vigil.app;

import dev.vigil.alerts.silence.SilenceStore;
import dev.vigil.model.Level;
import dev.vigil.model.Silence;
import dev.vigil.model.SilenceId;
import dev.vigil.model.TopicName;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil silence add|list|remove}: silences live in the compacted topic vigil.silences, so
 * every alerts instance sees them within a second, and they outlive restarts.
 */
@Command(name = "silence", mixinStandardHelpOptions = true,
        description = "Silence alerts of a topic and/or level until a time, list the silences in force, or remove one.",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Remove.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil silence add --bootstrap-servers kafka:9092 --topic venezuela --level elevated --for 4h --reason \"known exercise\"",
                "  vigil silence list --bootstrap-servers kafka:9092",
                "  vigil silence remove --bootstrap-servers kafka:9092 s-3f9a1c2b7d4e"})
final class SilenceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: add, list or remove");
    }

    private static SilenceStore open(KafkaConnection bootstrap, boolean createTopics) {
        TopicAdmin.ensureTopics(bootstrap, createTopics);
        SilenceStore store = new SilenceStore(bootstrap, List.of(), Clock.systemUTC());
        try {
            store.start(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    static String describe(Silence s) {
        return String.format(Locale.ROOT, "%-16s %-16s %-9s until %s  %s (by %s)", s.id(), s.topic() == null ? "(any topic)" : s.topic(),
                s.level() == null ? "(any)" : s.level().wireName(), s.until(), s.reason().replaceAll("\\p{Cntrl}+", " "), s.createdBy());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a silence; prints its id.",
            footerHeading = "%nExample:%n",
            footer = "  vigil silence add --bootstrap-servers kafka:9092 --topic venezuela --for 4h --reason \"known exercise\"")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Kafka kafka;

        @Option(names = "--topic", paramLabel = "TOPIC", description = "The watched topic to silence (default: any topic).")
        String topic;

        @Option(names = "--level", paramLabel = "LEVEL", description = "The level to silence: elevated, high, critical or normal (resolved) (default: any level).")
        String level;

        @Option(names = "--for", paramLabel = "DURATION", converter = CommonOptions.DurationConverter.class, description = "How long, e.g. 30m, 4h, 2d.")
        Duration duration;

        @Option(names = "--until", paramLabel = "TIME", description = "Until when, e.g. 2026-12-01T00:00:00Z (instead of --for).")
        String until;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why: shown wherever a silenced alert is recorded.")
        String reason;

        @Override
        public Integer call() {
            KafkaConnection bootstrap = kafka.required(spec);
            Instant now = Instant.now();
            if ((duration == null) == (until == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Give exactly one of --for DURATION or --until TIME");
            }
            Instant end;
            try {
                end = duration != null ? now.plus(duration) : OffsetDateTime.parse(until).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--until: expected a date and time such as 2026-12-01T00:00:00Z, found '" + until + "'");
            }
            if (!end.isAfter(now)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--for/--until: the silence would already be over");
            }
            Silence silence;
            try {
                silence = new Silence(Silence.SCHEMA_VERSION, SilenceId.random(), topic == null ? null : new TopicName(topic),
                        level == null ? null : Level.fromWireName(level.toLowerCase(Locale.ROOT)), end, reason.strip(), "cli", now);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (SilenceStore store = open(bootstrap, kafka.createTopics())) {
                store.add(silence);
            }
            spec.commandLine().getOut().println(silence.id());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the silences in force, soonest to end first.",
            footerHeading = "%nExample:%n", footer = "  vigil silence list --bootstrap-servers kafka:9092")
    static final class ListSilences implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Kafka kafka;

        @Override
        public Integer call() {
            KafkaConnection bootstrap = kafka.required(spec);
            PrintWriter out = spec.commandLine().getOut();
            try (SilenceStore store = open(bootstrap, kafka.createTopics())) {
                List<Silence> active = store.active(Instant.now());
                if (active.isEmpty()) {
                    out.println("no silences in force");
                }
                active.forEach(s -> out.println(describe(s)));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a silence: alerts it held back are not sent again, new ones are.",
            footerHeading = "%nExample:%n", footer = "  vigil silence remove --bootstrap-servers kafka:9092 s-3f9a1c2b7d4e")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Kafka kafka;

        @Parameters(paramLabel = "ID", description = "The silence's id, as add and list print it.")
        String id;

        @Override
        public Integer call() {
            KafkaConnection bootstrap = kafka.required(spec);
            SilenceId silenceId;
            try {
                silenceId = new SilenceId(id);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (SilenceStore store = open(bootstrap, kafka.createTopics())) {
                if (!store.remove(silenceId)) {
                    spec.commandLine().getErr().println("vigil silence remove: no silence " + silenceId + " is in force");
                    return Vigil.EXIT_FAILED;
                }
            }
            spec.commandLine().getOut().println("removed " + silenceId);
            return 0;
        }
    }
}

package dev.vigil.app;

import dev.vigil.model.DeadLetter;
import dev.vigil.model.LogText;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.kafka.TopicReader;
import dev.vigil.model.Json;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil dlq list|replay}: the dead letters ({@link DeadLetter}) of one dead-letter topic
 * ({@link Topics#deadLetterTopics()}: by default vigil.articles.dlq, what the streams service
 * could not read, process or write; with {@code --dlq vigil.alerts.malformed} the records of
 * vigil.alerts that were no alert), one JSON line each, and writing them back to the topic they
 * came from once whatever refused them is fixed. A record of vigil.articles that still fails is
 * dead-lettered again, with a new offset; vigil.alerts is what subscribers read, so a record is
 * replayed there only when it now reads as an alert (else it stays where it is, skipped).
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"List the records Vigil could not read, process or write, kept with their bytes on a dead-letter topic, or replay them "
                + "onto their source topic.",
                "--dlq picks the topic: vigil.articles.dlq (Streams; the default) or vigil.alerts.malformed (records of vigil.alerts that are no alert)."},
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Replay.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil dlq list --bootstrap-servers kafka:9092 --reason unsupported_schema",
                "  vigil dlq replay --bootstrap-servers kafka:9092 --offset 12",
                "  vigil dlq list --bootstrap-servers kafka:9092 --dlq vigil.alerts.malformed"})
final class DlqCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or replay");
    }

    /** Which dead letters a command acts on. */
    static final class Filter {
        @Option(names = "--reason", paramLabel = "REASON",
                description = "Only dead letters with this reason: empty, not_json, wrong_type, invalid, unsupported_schema, too_large, unserializable, undeliverable.")
        String reason;

        @Option(names = "--offset", paramLabel = "N", description = "Only the dead letter at this offset of the dead-letter topic (as list prints it); repeatable.")
        List<Long> offsets = new ArrayList<>();

        boolean matches(ConsumerRecord<byte[], byte[]> r) {
            return (reason == null || reason.equals(header(r, DeadLetter.REASON))) && (offsets.isEmpty() || offsets.contains(r.offset()));
        }

        void check(CommandSpec spec) {
            Set<String> known = java.util.Arrays.stream(DeadLetter.Reason.values()).map(DeadLetter.Reason::wireName).collect(Collectors.toSet());
            if (reason != null && !known.contains(reason)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--reason: expected one of " + known.stream().sorted().toList() + ", found '" + reason + "'");
            }
        }
    }

    /** One dead letter as {@code list} prints it. */
    record Listed(long offset, String topic, Integer partition, Long sourceOffset, String reason, String message, String at, String key, int bytes,
                  Long originalBytes, Integer headers) {
        static Listed of(ConsumerRecord<byte[], byte[]> r) {
            String original = header(r, DeadLetter.VALUE_BYTES);
            return new Listed(r.offset(), header(r, DeadLetter.TOPIC), number(header(r, DeadLetter.PARTITION)).map(Long::intValue).orElse(null),
                    number(header(r, DeadLetter.OFFSET)).orElse(null), header(r, DeadLetter.REASON), header(r, DeadLetter.MESSAGE), header(r, DeadLetter.AT),
                    r.key() == null ? null : LogText.escape(new String(r.key(), StandardCharsets.UTF_8), 200),
                    r.value() == null ? 0 : r.value().length, number(original).orElse(null),
                    // only where the source's headers were kept: how many
                    r.headers().lastHeader(DeadLetter.HEADERS) == null ? null : DeadLetter.sourceHeaders(r.headers()).size());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print each dead letter as a JSON line: its offset, where it came from, why, when, its key and size.",
            footerHeading = "%nExample:%n", footer = "  vigil dlq list --bootstrap-servers kafka:9092 --reason not_json")
    static final class ListLetters extends OnLetters {
        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<ConsumerRecord<byte[], byte[]>> letters = matching();
            for (ConsumerRecord<byte[], byte[]> r : letters) {
                out.println(Json.mapper().writeValueAsString(Listed.of(r)));
            }
            spec.commandLine().getErr().println("vigil dlq list: " + letters.size() + " dead letter(s) on " + dlq());
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Write dead letters back to the topic each came from, key, value and kept headers unchanged (one cut to fit is skipped).",
                    "To vigil.alerts, which subscribers read, only what now reads as an alert is written; the rest is skipped and stays listed."},
            footerHeading = "%nExample:%n", footer = "  vigil dlq replay --bootstrap-servers kafka:9092 --reason unsupported_schema")
    static final class Replay extends OnLetters {
        @Override
        public Integer call() throws Exception {
            List<ConsumerRecord<byte[], byte[]>> letters = matching();
            KafkaConnection bootstrap = kafka.required(spec);
            // this deployment's topics only: a dead letter never goes to another deployment's topic on a shared cluster
            Set<String> vigilTopics = TopicAdmin.onCluster(bootstrap, Topics.all()).stream().map(Topic::name).collect(Collectors.toSet());
            PrintWriter err = spec.commandLine().getErr();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            int skipped = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (ConsumerRecord<byte[], byte[]> r : letters) {
                    Optional<String> refusal = refusal(r, bootstrap, vigilTopics);
                    if (refusal.isPresent()) {
                        err.println("vigil dlq replay: skipped offset " + r.offset() + ": " + refusal.get());
                        skipped++;
                        continue;
                    }
                    sent.add(producer.send(new ProducerRecord<>(header(r, DeadLetter.TOPIC), null, r.key(), r.value(), DeadLetter.sourceHeaders(r.headers()))));
                }
                for (Future<RecordMetadata> f : sent) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } catch (ExecutionException | TimeoutException e) {
                err.println("vigil dlq replay: cannot write to Kafka at " + bootstrap + ": " + e.getMessage());
                return Vigil.EXIT_FAILED;
            }
            spec.commandLine().getOut().println("replayed " + sent.size() + " dead letter(s)" + (skipped > 0 ? ", skipped " + skipped : ""));
            return 0;
        }
    }

    /**
     * Why a dead letter is not replayed, if it is not: it was cut to fit, or its source is no Vigil
     * topic of this deployment (or a dead-letter topic), or its source is vigil.alerts and it is
     * still no alert (subscribers read that topic: a replay would hand them the bad record again,
     * and the alerts service would only dead-letter it once more).
     */
    static Optional<String> refusal(ConsumerRecord<byte[], byte[]> r, KafkaConnection bootstrap, Set<String> vigilTopics) {
        Optional<String> cut = DeadLetter.cut(r.headers());
        if (cut.isPresent()) {
            return Optional.of(cut.get() + ", replaying it would not give the original");
        }
        String source = header(r, DeadLetter.TOPIC);
        boolean deadLetters = Topics.deadLetterTopics().stream().anyMatch(t -> bootstrap.topic(t).name().equals(source));
        if (source == null || !vigilTopics.contains(source) || deadLetters) {
            return Optional.of("no Vigil source topic");
        }
        Topic<?, ?> alerts = bootstrap.topic(Topics.ALERTS);
        if (source.equals(alerts.name())) {
            try {
                if (alerts.value(r.value()) == null) {
                    return Optional.of("still no alert (no value); it stays here, replaying it would only hand subscribers of " + alerts + " a tombstone");
                }
            } catch (SerializationException e) {
                return Optional.of("still no alert (" + LogText.escape(e.getMessage(), 200) + "); it stays here, replaying it would only hand "
                        + "subscribers of " + alerts + " the same bad record");
            }
        }
        return Optional.empty();
    }

    private static Properties producerProperties(KafkaConnection bootstrap) {
        return bootstrap.durableProducer("vigil-dlq-replay");
    }

    /** What both subcommands take: Kafka, the dead-letter topic and which dead letters. */
    abstract static class OnLetters implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Kafka kafka;

        @Mixin
        Filter filter;

        @Option(names = "--dlq", paramLabel = "TOPIC",
                description = "The dead-letter topic: vigil.articles.dlq (what Streams could not read, process or write; the default) or "
                        + "vigil.alerts.malformed (records of vigil.alerts that are no alert), named as without a topic prefix.")
        String dlqName;   // null: Topics.ARTICLES_DLQ, as before there was a choice

        /** The dead-letter topic {@code --dlq} names, as this deployment names it. */
        Topic<byte[], byte[]> dlq() {
            return kafka.required(spec).topic(deadLetterTopic(spec, dlqName));
        }

        /** The committed dead letters the filter selects, after checking the options. */
        List<ConsumerRecord<byte[], byte[]>> matching() {
            filter.check(spec);
            Topic<byte[], byte[]> topic = deadLetterTopic(spec, dlqName);
            KafkaConnection bootstrap = kafka.required(spec);
            TopicAdmin.ensureTopics(bootstrap, kafka.createTopics(), List.of(topic));
            return read(bootstrap, topic).stream().filter(filter::matches).toList();
        }
    }

    /** The {@link Topics#deadLetterTopics() dead-letter topic} called {@code name}; a usage error naming them when there is none. */
    static Topic<byte[], byte[]> deadLetterTopic(CommandSpec spec, String name) {
        if (name == null) {
            return Topics.ARTICLES_DLQ;
        }
        List<Topic<byte[], byte[]>> known = Topics.deadLetterTopics();
        return known.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "--dlq: expected one of " + known.stream().map(Topic::name).toList() + ", found '" + name + "'"
                        + (name.equals(Topics.ALERTS_DLQ.name()) ? " (" + name + " holds delivery records, not records' bytes: read it with a consumer)" : "")));
    }

    /** Every committed dead letter of {@code dlq} (a {@link Topics} descriptor), in offset order per partition. */
    static List<ConsumerRecord<byte[], byte[]>> read(KafkaConnection bootstrap, Topic<byte[], byte[]> dlq) {
        Duration timeout = Duration.ofSeconds(30);
        try (TopicReader<ConsumerRecord<byte[], byte[]>> reader = TopicReader.records(bootstrap, bootstrap.topic(dlq), "vigil-dlq",
                TopicReader.Start.beginning(), timeout)) {
            return reader.readToEnd(timeout);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static java.util.Optional<Long> number(String s) {
        try {
            return s == null ? java.util.Optional.empty() : java.util.Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}

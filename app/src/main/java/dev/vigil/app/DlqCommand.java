package dev.vigil.app;

import dev.vigil.model.DeadLetter;
import dev.vigil.model.LogText;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.Json;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil dlq list|replay}: the records the streams service dead-lettered to
 * vigil.articles.dlq ({@link DeadLetter}), one JSON line each, and writing them back to the topic
 * they came from once whatever refused them is fixed (a record that still fails is dead-lettered
 * again, with a new offset).
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "List the records Streams could not read, process or write (vigil.articles.dlq), or replay them onto their source topic.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Replay.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil dlq list --bootstrap-servers kafka:9092 --reason unsupported_schema",
                "  vigil dlq replay --bootstrap-servers kafka:9092 --offset 12"})
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

        @Option(names = "--offset", paramLabel = "N", description = "Only the dead letter at this offset of vigil.articles.dlq (as list prints it); repeatable.")
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
                  Long originalBytes) {
        static Listed of(ConsumerRecord<byte[], byte[]> r) {
            String original = header(r, DeadLetter.VALUE_BYTES);
            return new Listed(r.offset(), header(r, DeadLetter.TOPIC), number(header(r, DeadLetter.PARTITION)).map(Long::intValue).orElse(null),
                    number(header(r, DeadLetter.OFFSET)).orElse(null), header(r, DeadLetter.REASON), header(r, DeadLetter.MESSAGE), header(r, DeadLetter.AT),
                    r.key() == null ? null : LogText.escape(new String(r.key(), StandardCharsets.UTF_8), 200),
                    r.value() == null ? 0 : r.value().length, number(original).orElse(null));
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
            spec.commandLine().getErr().println("vigil dlq list: " + letters.size() + " dead letter(s) on " + kafka.required(spec).topic(Topics.ARTICLES_DLQ));
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Write dead letters back to the topic each came from, key and value unchanged (one cut to fit is skipped).",
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
                    String source = header(r, DeadLetter.TOPIC);
                    if (header(r, DeadLetter.VALUE_BYTES) != null || source == null || !vigilTopics.contains(source) || source.equals(bootstrap.topic(Topics.ARTICLES_DLQ).name())) {
                        err.println("vigil dlq replay: skipped offset " + r.offset() + (header(r, DeadLetter.VALUE_BYTES) != null
                                ? ": its value was cut to fit, replaying it would not give the original" : ": no Vigil source topic"));
                        skipped++;
                        continue;
                    }
                    sent.add(producer.send(new ProducerRecord<>(source, r.key(), r.value())));
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

    private static Properties producerProperties(KafkaConnection bootstrap) {
        return bootstrap.durableProducer("vigil-dlq-replay");
    }

    /** What both subcommands take: Kafka and which dead letters. */
    abstract static class OnLetters implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Kafka kafka;

        @Mixin
        Filter filter;

        /** The committed dead letters the filter selects, after checking the options. */
        List<ConsumerRecord<byte[], byte[]>> matching() {
            filter.check(spec);
            KafkaConnection bootstrap = kafka.required(spec);
            TopicAdmin.ensureTopics(bootstrap, kafka.createTopics(), List.of(Topics.ARTICLES_DLQ));
            return read(bootstrap).stream().filter(filter::matches).toList();
        }
    }

    /** Every committed dead letter, in offset order per partition. */
    static List<ConsumerRecord<byte[], byte[]>> read(KafkaConnection bootstrap) {
        Properties p = bootstrap.consumer();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        Topic<byte[], byte[]> dlq = bootstrap.topic(Topics.ARTICLES_DLQ);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(dlq.name(), Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            // up to the last stable offset: transaction markers take offsets too, so compare positions
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + dlq + " to its end within 30s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
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

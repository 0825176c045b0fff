package dev.vigil.app;

import dev.vigil.model.Topics;
import dev.vigil.streams.StreamsService;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The alert decisions {@link ExactlyOnceIT#input()} yields when nothing goes wrong: one streams
 * instance on the embedded broker, no fault. The fault tests compare what survived with it. Worked
 * out once per test JVM (Failsafe runs every IT in one), since it never changes.
 */
final class FaultlessRun {

    private static List<String> decisions;

    private FaultlessRun() {
    }

    /** {@link ExactlyOnceIT#decisions} of the faultless run. */
    static synchronized List<String> decisions() throws IOException {
        if (decisions == null) {
            Path dir = Files.createTempDirectory("vigil-faultless-");
            try {
                decisions = run(dir);
            } finally {
                delete(dir);
            }
        }
        return decisions;
    }

    private static List<String> run(Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), ExactlyOnceIT.RULES);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             StreamsService single = new StreamsService(StreamsSettings.of(kafka.bootstrapServers(), dir.resolve("state")),
                     RulesLoader.load(rules), new SimpleMeterRegistry())) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers());
            single.start();
            ExactlyOnceIT.produce(kafka.bootstrapServers(), ExactlyOnceIT.input(), Duration.ZERO, () -> { });
            Await.until(Duration.ofSeconds(90), "the single instance to process everything",
                    () -> KafkaProbe.streamsCaughtUp(kafka.bootstrapServers(), ExactlyOnceIT.APPLICATION_ID));
            return ExactlyOnceIT.decisions(KafkaProbe.committedValues(kafka.bootstrapServers(), Topics.ALERTS));
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

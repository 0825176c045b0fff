package dev.vigil.streams;

import dev.vigil.model.Topics;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.scoring.ScoringParameters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link VigilTopology} with exactly-once processing: a crash never loses or duplicates an
 * alert event. {@link #start()} and {@link #close()} are idempotent.
 */
public final class StreamsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

    private final StreamsSettings settings;
    private final RuleSet rules;
    private final MeterRegistry registry;
    private final Clock clock;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private VigilTopology vigilTopology;

    public StreamsService(StreamsSettings settings, RuleSet rules, MeterRegistry registry) {
        this(settings, rules, registry, Clock.systemUTC());
    }

    /** @param clock the wall clock of the topology's steps ({@link VigilTopology}) and of its dead letters */
    public StreamsService(StreamsSettings settings, RuleSet rules, MeterRegistry registry, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The Kafka Streams configuration this service runs with. */
    public static Properties properties(StreamsSettings settings) {
        Properties p = settings.kafka().streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        // a step whose store or internal topic would get a generated name (which moves when a step is added
        // before it, losing its state) fails when the topology is built (VigilTopology.build)
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // one bad record must not stop every topic's scoring: what cannot be read, processed or
        // serialised is dead-lettered to vigil.articles.dlq with where it came from and why (DeadLetters)
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class.getName());
        p.put(DeadLetters.TOPIC_PREFIX_CONFIG, settings.kafka().topicPrefix());
        // measured with the load harness (BENCHMARKS.md): a 50 ms commit interval keeps article-in to
        // alert-out under 200 ms at p99 (two transactional hops); tagged articles are 3-8 KB each, so
        // batches of up to 1 MiB and larger polls keep the broker round trips few; one stream thread
        // per core (up to 4) tags in parallel
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 1 << 20);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 10);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        p.putAll(settings.overrides());
        return p;
    }

    public synchronized void start() {
        if (streams != null) {
            return;
        }
        StreamsMetrics metrics = new StreamsMetrics(registry);
        metrics.watchStreams(this::isRunning);
        vigilTopology = new VigilTopology(rules, ScoringParameters.DEFAULT, metrics, settings.expiryInterval(), settings.kafka().topicPrefix(), clock);
        Refusals refusals = vigilTopology.refusals();
        Properties properties = properties(settings);
        // the dead-letter handlers Kafka creates from class names get the meters, the refusals and the clock through their configuration
        properties.put(DeadLetters.METRICS_CONFIG, metrics);
        properties.put(DeadLetters.REFUSALS_CONFIG, refusals);
        properties.put(DeadLetters.CLOCK_CONFIG, clock);
        // built with the configuration the client runs with, complete: the builder reads the topology-level settings
        Topology topology = vigilTopology.build(properties);
        log.debug("topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(e -> {
            if (refusals.replaceFailedThread()) {
                // Kafka refused a record's output, which aborted the transaction; read again, the record is dead-lettered
                log.warn("streams: a processing thread failed on a record Kafka refused; replacing the thread, which dead-letters it: {}", e.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            log.error("streams: a processing thread failed; stopping this instance so another can take over: {}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> log.info("streams: {} -> {}", before, now));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        log.info("streams: started, rules {} ({} topics, {} signals) until a release on {} replaces them", rules.version(), rules.topics().size(),
                rules.signals().size(), settings.kafka().topic(Topics.RULES));
    }

    /** The rule set tagging uses now: the latest valid release from vigil.rules, else the start-up rules. */
    public synchronized RuleSet rulesInForce() {
        return vigilTopology == null ? rules : vigilTopology.activeRules().matcher().rules();
    }

    /** True while Kafka Streams is running or rebalancing. */
    public synchronized boolean isRunning() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    /** Whether the instance has its tasks and processes them (running, not rebalancing). */
    public synchronized boolean isProcessing() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    @Override
    public synchronized void close() {
        if (streams == null) {
            return;
        }
        // leave the group: an instance stopped on purpose hands its tasks over now, instead of holding them
        // unprocessed until its session times out (45 s by default; RebalanceUnderLoadIT measures it)
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30)).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        streams = null;
        log.info("streams: stopped");
    }
}

package dev.vigil.ingest;

import dev.vigil.model.Article;
import dev.vigil.model.IngestError;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every configured feed on its interval and publishes articles to {@code vigil.articles}
 * and failures to {@code vigil.ingest.errors}. {@link #start()} and {@link #close()} are
 * idempotent.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final IngestSettings settings;
    private final MeterRegistry registry;
    private final IngestMetrics metrics;
    private final Clock clock;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaClientMetrics producerMetrics;
    private ScheduledExecutorService scheduler;

    public IngestService(IngestSettings settings, MeterRegistry registry, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.metrics = new IngestMetrics(registry);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        AtomicInteger n = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "vigil-ingest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpFetcher fetcher = new HttpFetcher(settings.fetchTimeout(), Math.max(settings.maxFeedBytes(), settings.maxPageBytes()));
        ArticleSink sink = new KafkaSink();
        for (FeedSpec feed : settings.feeds()) {
            FeedPoller poller = new FeedPoller(feed, fetcher, sink, metrics, clock);
            // spread first polls over a second so a thousand feeds do not fire at once
            long firstDelay = ThreadLocalRandom.current().nextLong(Math.min(1000, feed.interval().toMillis()));
            scheduler.scheduleWithFixedDelay(() -> pollSafely(poller), firstDelay, feed.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("ingest: polling {} feed(s)", settings.feeds().size());
    }

    private static void pollSafely(FeedPoller poller) {
        try {
            poller.poll();
        } catch (RuntimeException e) {
            // a bug in one feed's poll must not cancel its schedule (a scheduled task that throws never runs again)
            log.error("ingest: {} poll failed unexpectedly; will retry on the next interval", poller.spec().id(), e);
        }
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-ingest");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return p;
    }

    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("ingest: polls still running after 10s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producerMetrics.close();
        producer.close(java.time.Duration.ofSeconds(10));
        scheduler = null;
        log.info("ingest: stopped");
    }

    private final class KafkaSink implements ArticleSink {

        @Override
        public void publish(List<Article> articles) throws PublishException {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try {
                for (Article a : articles) {
                    sent.add(producer.send(Topics.ARTICLES.record(a.id(), a)));
                }
                for (Future<RecordMetadata> f : sent) {
                    f.get();
                }
            } catch (ExecutionException | KafkaException e) {
                throw new PublishException("cannot publish to " + Topics.ARTICLES + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while publishing", e);
            }
        }

        @Override
        public void error(IngestError error) {
            try {
                producer.send(Topics.INGEST_ERRORS.record(error.feed(), error), (md, e) -> {
                    if (e != null) {
                        log.warn("ingest: cannot record an error on {}: {}", Topics.INGEST_ERRORS, e.toString());
                    }
                });
            } catch (KafkaException e) {
                log.warn("ingest: cannot record an error on {}: {}", Topics.INGEST_ERRORS, e.toString());
            }
        }
    }
}

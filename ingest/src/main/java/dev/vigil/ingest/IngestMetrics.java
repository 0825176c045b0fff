package dev.vigil.ingest;

import dev.vigil.model.IngestError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Ingest's domain meters. Tags are bounded: outcomes, stages and reasons, never a URL or feed
 * title (a feed id would be bounded too, but thousands of feeds make thousands of series: per-feed
 * health belongs in the feed health view, not in Prometheus).
 */
public final class IngestMetrics {

    public static final String POLLS = "vigil.ingest.polls";
    public static final String FETCH_LATENCY = "vigil.ingest.fetch.latency";
    public static final String EXTRACTIONS = "vigil.ingest.extractions";
    public static final String ARTICLES = "vigil.ingest.articles";
    public static final String ERRORS = "vigil.ingest.errors";

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void poll(String outcome) {
        Counter.builder(POLLS).description("Feed polls, by outcome (ok, error)").tag("outcome", outcome).register(registry).increment();
    }

    void fetched(String kind, Duration took) {
        Timer.builder(FETCH_LATENCY).description("Time to fetch a feed or an article page").tag("kind", kind)
                .publishPercentileHistogram().register(registry).record(took);
    }

    void extraction(String outcome) {
        Counter.builder(EXTRACTIONS).description("Article pages, by extraction outcome (extracted, fallback: the feed summary stands in)")
                .tag("outcome", outcome).register(registry).increment();
    }

    void published() {
        Counter.builder(ARTICLES).description("Articles published to vigil.articles").register(registry).increment();
    }

    void error(IngestError error) {
        Counter.builder(ERRORS).description("Ingest failures, by stage and reason")
                .tag("stage", error.stage().wireName()).tag("reason", error.reason().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }
}

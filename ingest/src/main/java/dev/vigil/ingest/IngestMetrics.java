package dev.vigil.ingest;

import dev.vigil.ingest.feed.DateRule;
import dev.vigil.model.IngestError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Ingest's domain meters. Tags are bounded: outcomes, kinds, stages, reasons and verdicts, never
 * a URL, a title or a feed (thousands of feeds would make thousands of series: per-feed health
 * lives on {@code vigil.ingest.state} instead). The 304 share is
 * {@code rate(vigil_ingest_polls_total{outcome="not_modified"}) / rate(vigil_ingest_polls_total)}.
 */
public final class IngestMetrics {

    public static final String POLLS = "vigil.ingest.polls";
    public static final String FETCH_LATENCY = "vigil.ingest.fetch.latency";
    public static final String FETCH_BYTES = "vigil.ingest.fetch.bytes";
    public static final String EXTRACTIONS = "vigil.ingest.extractions";
    public static final String ARTICLES = "vigil.ingest.articles";
    public static final String ERRORS = "vigil.ingest.errors";
    public static final String DATES = "vigil.ingest.item.dates";
    public static final String IDENTITY = "vigil.ingest.item.identity";
    public static final String GAPS = "vigil.ingest.gaps";
    public static final String BACKFILL_SKIPPED = "vigil.ingest.backfill.skipped";
    public static final String FEEDS = "vigil.ingest.feeds";
    public static final String CATALOGUE = "vigil.ingest.catalogue.changes";
    public static final String TRUNCATED = "vigil.ingest.truncated";

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param outcome ok, not_modified, error or rate_limited */
    void poll(String outcome) {
        Counter.builder(POLLS).description("Feed polls, by outcome (ok, not_modified, error, rate_limited)").tag("outcome", outcome)
                .register(registry).increment();
    }

    /** @param kind feed, page or robots */
    void fetched(String kind, Duration took, long wireBytes) {
        Timer.builder(FETCH_LATENCY).description("Time to fetch a feed or an article page, redirects included").tag("kind", kind)
                .publishPercentileHistogram().register(registry).record(took);
        if (wireBytes > 0) {
            Counter.builder(FETCH_BYTES).description("Bytes received (compressed, as on the wire)").baseUnit("bytes").tag("kind", kind)
                    .register(registry).increment(wireBytes);
        }
    }

    /** @param outcome extracted, fallback (the feed summary stands in) or no_link */
    void extraction(String outcome) {
        Counter.builder(EXTRACTIONS).description("Articles, by where their text came from (extracted; fallback: the page failed, the feed summary stands in; no_link: the item has no page)")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** An article with a field cut to the caps ({@code Article.capped()}) before publishing. */
    void truncated() {
        Counter.builder(TRUNCATED).description("Articles with a title, source, text or link cut to the caps (Article.MAX_TITLE_CHARS, MAX_TEXT_CHARS, MAX_URL_CHARS) before publishing")
                .register(registry).increment();
    }

    void published() {
        Counter.builder(ARTICLES).description("Articles published to vigil.articles").register(registry).increment();
    }

    void error(IngestError error) {
        Counter.builder(ERRORS).description("Ingest failures, by stage and reason")
                .tag("stage", error.stage().wireName()).tag("reason", error.reason().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    void date(DateRule.Verdict verdict) {
        Counter.builder(DATES).description("New items, by what the date rule made of their date (ok, missing, too_old, future)")
                .tag("verdict", verdict.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    /** @param issue ambiguous_guid (one GUID on items with different links) or duplicate_in_feed */
    void identity(String issue, int count) {
        Counter.builder(IDENTITY).description("Identity problems in feeds: GUIDs shared by different items, items listed twice")
                .tag("issue", issue).register(registry).increment(count);
    }

    void gap() {
        Counter.builder(GAPS).description("Polls where none of the items seen before was listed any more: items may have been missed")
                .register(registry).increment();
    }

    void backfillSkipped(int count) {
        Counter.builder(BACKFILL_SKIPPED).description("Older items of newly added feeds remembered as seen instead of published")
                .register(registry).increment(count);
    }

    /** @param change added, updated, removed (feeds this instance owns, as the catalogue changed) or invalid (a record skipped) */
    void catalogue(String change) {
        Counter.builder(CATALOGUE).description("Changes to the feed catalogue (vigil.feeds) applied by this instance while running, by change (added, updated, removed); invalid: records it could not read and skipped")
                .tag("change", change).register(registry).increment();
    }

    /** @param state owned; of those backing_off (slowed or failing), silent, and each {@link dev.vigil.model.FeedHealth} */
    void feeds(String state, Supplier<Number> count) {
        Gauge.builder(FEEDS, count).description("Feeds this instance polls (owned); of those, backing off after failures, silent (no answer for an hour or three intervals), and by health as the status page counts them: ok, pending, slowed, failing (3 or more failures in a row, or never answered)")
                .tag("state", state).register(registry);
    }
}

package dev.vigil.ingest;

import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.ingest.extract.ExtractionException;
import dev.vigil.ingest.feed.DateRule;
import dev.vigil.ingest.feed.FeedItem;
import dev.vigil.ingest.feed.FeedParseException;
import dev.vigil.ingest.feed.ParsedFeed;
import dev.vigil.ingest.fetch.FetchException;
import dev.vigil.ingest.fetch.FetchRequest;
import dev.vigil.ingest.fetch.FetchResult;
import dev.vigil.ingest.fetch.RobotsCache;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedHealth;
import dev.vigil.model.FeedState;
import dev.vigil.model.IngestError;
import dev.vigil.model.IngestError.Reason;
import dev.vigil.model.IngestError.Stage;
import dev.vigil.model.LogText;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one feed: a conditional GET, parse, and for each item not seen before (by
 * {@link ItemIdentity}'s rule) fetch the page (robots.txt permitting), extract it and publish an
 * {@link Article}. Never throws: every failure is counted and reported to the sink with the feed,
 * the URL and the reason, and the poll goes on with the next item. Validators are only kept once
 * the new items are published, so a failed publish is retried instead of hidden behind a 304.
 *
 * <p>The poller holds the feed's state (validators, items seen, interval, health) and hands it out
 * as a {@link FeedState} for the state topic. One poll at a time.
 */
final class FeedPoller {

    private static final Logger log = LoggerFactory.getLogger(FeedPoller.class);
    static final String FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
            + "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1";
    static final String PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

    private final FeedSpec spec;
    private final PollContext ctx;

    private Optional<String> etag = Optional.empty();
    private Optional<String> lastModified = Optional.empty();
    private SeenSet seen = new SeenSet(SeenSet.MIN_CAPACITY);
    private boolean known;
    private Duration interval;
    private Instant nextPoll;
    private Instant lastAttempt;
    private Instant lastSuccess;
    private int consecutiveFailures;
    private long polls;
    private long notModified;
    private String lastError;
    private Reason failureReason;

    /** @param restored the feed's state from the state topic, if any */
    FeedPoller(FeedSpec spec, PollContext ctx, Optional<FeedState> restored) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.interval = spec.interval();
        this.nextPoll = ctx.clock().instant();
        restored.ifPresent(this::restore);
    }

    private void restore(FeedState s) {
        known = true;
        seen = SeenSet.fromHex(s.seen(), SeenSet.MIN_CAPACITY);
        polls = s.polls();
        notModified = s.notModified();
        lastAttempt = s.lastAttempt();
        lastSuccess = s.lastSuccess();
        if (!s.url().equals(spec.url().toString())) {
            // validators, schedule and health belong to one URL: a feed moved to a new address keeps only what it has seen
            return;
        }
        etag = Optional.ofNullable(s.etag());
        lastModified = Optional.ofNullable(s.lastModified());
        Duration restoredInterval = Duration.ofMillis(s.intervalMillis());
        interval = restoredInterval.compareTo(spec.minInterval()) < 0 ? spec.minInterval()
                : restoredInterval.compareTo(spec.maxInterval()) > 0 ? spec.maxInterval() : restoredInterval;
        nextPoll = s.nextPoll();
        consecutiveFailures = s.consecutiveFailures();
        lastError = s.lastError();
        failureReason = s.failureReason();
    }

    FeedSpec spec() {
        return spec;
    }

    /** Moves a new feed's first poll a little into the future; returns this poller. */
    synchronized FeedPoller delayedFirstPoll(Duration delay) {
        nextPoll = ctx.clock().instant().plus(delay);
        return this;
    }

    synchronized Instant nextPoll() {
        return nextPoll;
    }

    synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The feed's health now, without copying its whole state. */
    synchronized FeedHealth health() {
        return FeedHealth.of(consecutiveFailures, lastSuccess != null);
    }

    /** The state to keep on the state topic. */
    synchronized FeedState state() {
        return new FeedState(FeedState.SCHEMA_VERSION, spec.id(), spec.url().toString(), etag.orElse(null), lastModified.orElse(null),
                seen.toHex(), interval.toMillis(), nextPoll, lastAttempt, lastSuccess, consecutiveFailures, polls, notModified, lastError,
                failureReason);
    }

    /** One poll; returns the number of new articles published. */
    synchronized int poll() {
        Instant started = ctx.clock().instant();
        lastAttempt = started;
        polls++;
        FetchResult response;
        try {
            response = ctx.fetcher().get(FetchRequest.of(spec.url(), FEED_ACCEPT, ctx.maxFeedBytes()).conditional(etag, lastModified));
        } catch (FetchException e) {
            ctx.metrics().fetched("feed", Duration.between(started, ctx.clock().instant()), 0);
            failed(Stage.FETCH_FEED, e.reason(), e.getMessage(), e.retryAfter());
            return 0;
        }
        ctx.metrics().fetched("feed", Duration.between(started, ctx.clock().instant()), response.wireBytes());
        if (response.notModified()) {
            notModified++;
            succeeded(false, response.freshFor(), false);
            ctx.metrics().poll("not_modified");
            return 0;
        }
        ParsedFeed feed;
        try {
            feed = ctx.parser().parse(response.body(), response.contentType(), Optional.of(response.uri()));
        } catch (FeedParseException e) {
            failed(Stage.PARSE_FEED, e.reason(), e.getMessage(), Optional.empty());
            return 0;
        }
        for (String note : feed.notes()) {
            report(Stage.PARSE_FEED, Reason.MALFORMED, spec.url().toString(), note + "; the feed was still read");
        }
        return publishNew(feed, response);
    }

    private int publishNew(ParsedFeed feed, FetchResult response) {
        List<FeedItem> items = feed.items();
        List<ItemIdentity.Keys> keys = ItemIdentity.of(items);
        int ambiguous = ItemIdentity.ambiguousGuids(items).size();
        if (ambiguous > 0) {
            ctx.metrics().identity("ambiguous_guid", ambiguous);
        }
        seen.fitFeedOf(items.size());
        boolean firstTime = !known;
        boolean anySeenBefore = false;
        List<Pending> fresh = new ArrayList<>();
        Set<Long> thisPoll = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ItemIdentity.Keys k = keys.get(i);
            boolean wasSeen = seen.contains(k.identity()) || (k.link().isPresent() && seen.contains(k.link().getAsLong()));
            anySeenBefore |= wasSeen;
            if (wasSeen) {
                continue;
            }
            if (thisPoll.contains(k.identity()) || (k.link().isPresent() && thisPoll.contains(k.link().getAsLong()))) {
                ctx.metrics().identity("duplicate_in_feed", 1);
                continue;
            }
            thisPoll.add(k.identity());
            k.link().ifPresent(thisPoll::add);
            fresh.add(new Pending(k, items.get(i), i));
        }
        // a possible gap: items were seen before, none of them is listed now, and something new is
        boolean gap = !firstTime && !seen.isEmpty() && !items.isEmpty() && !anySeenBefore;
        if (gap) {
            ctx.metrics().gap();
            log.info("ingest: {} lists none of the items seen before: items may have been missed between polls; polling sooner", spec.id());
        }
        // newest first to pick the backfill, then oldest first to publish, so scoring sees a story unfold in order
        fresh.sort(Comparator.comparing((Pending p) -> p.item.published().orElse(Instant.MIN)).reversed().thenComparing(p -> p.index));
        List<Pending> skipped = List.of();
        if (firstTime && fresh.size() > ctx.backfill()) {
            skipped = fresh.subList(ctx.backfill(), fresh.size());
            fresh = new ArrayList<>(fresh.subList(0, ctx.backfill()));
            ctx.metrics().backfillSkipped(skipped.size());
            log.info("ingest: {} is new: publishing its {} newest item(s), remembering {} older one(s) as seen", spec.id(), fresh.size(), skipped.size());
        }
        fresh.sort(Comparator.comparing((Pending p) -> p.item.published().orElse(Instant.MAX)).thenComparing(p -> -p.index));
        String source = spec.source() != null ? spec.source() : feed.title();
        List<Article> articles = new ArrayList<>();
        for (Pending p : fresh) {
            ctx.metrics().date(p.item.dateVerdict());
            Article whole = article(p.item, source, feed);
            Article capped = whole.capped();
            if (capped != whole) {
                ctx.metrics().truncated();
            }
            articles.add(capped);
        }
        int published = 0;
        if (!articles.isEmpty()) {
            List<ArticleSink.Refused> refused;
            try {
                refused = ctx.sink().publish(articles);
            } catch (ArticleSink.PublishException e) {
                // validators untouched: the next poll fetches the whole feed again and retries these
                failed(Stage.PUBLISH, Reason.UNREACHABLE, e.getMessage() + "; will retry on the next poll", Optional.empty());
                return 0;
            }
            // a refused item is a permanent error of that item, not of the feed: reported, remembered as seen, never retried
            for (ArticleSink.Refused r : refused) {
                report(Stage.PUBLISH, r.reason(), r.article().url(), "article " + r.article().id().value() + " cannot be published: " + r.message()
                        + "; skipped, not retried");
            }
            published = articles.size() - refused.size();
            for (int i = 0; i < published; i++) {
                ctx.metrics().published();
            }
            log.info("ingest: {} published {} new article(s){}", spec.id(), published, refused.isEmpty() ? "" : ", skipped " + refused.size());
        }
        for (Pending p : fresh) {
            remember(p.keys);
        }
        for (Pending p : skipped) {
            remember(p.keys);
        }
        known = true;
        etag = response.etag();
        lastModified = response.lastModified();
        Optional<Duration> hint = response.freshFor();
        if (feed.ttl().isPresent() && (hint.isEmpty() || feed.ttl().get().compareTo(hint.get()) > 0)) {
            hint = feed.ttl();
        }
        succeeded(!articles.isEmpty(), hint, gap);
        ctx.metrics().poll("ok");
        return published;
    }

    private void remember(ItemIdentity.Keys k) {
        seen.add(k.identity());
        k.link().ifPresent(seen::add);
    }

    private void succeeded(boolean foundNew, Optional<Duration> hint, boolean gap) {
        Instant now = ctx.clock().instant();
        lastSuccess = now;
        consecutiveFailures = 0;
        lastError = null;
        failureReason = null;
        interval = ctx.policy().adapt(spec, interval, foundNew);
        nextPoll = now.plus(ctx.policy().afterSuccess(spec, interval, hint, gap));
    }

    private void failed(Stage stage, Reason reason, String message, Optional<Duration> retryAfter) {
        consecutiveFailures++;
        // "fetch_feed unreachable: cannot resolve ..." says at a glance where and why, for people and the health views
        lastError = stage.wireName() + " " + reason.wireName() + ": " + message;
        failureReason = reason;
        Duration delay = ctx.policy().afterFailure(interval, consecutiveFailures, retryAfter);
        nextPoll = ctx.clock().instant().plus(delay);
        ctx.metrics().poll(reason == Reason.RATE_LIMITED ? "rate_limited" : "error");
        report(stage, reason, spec.url().toString(), message + " (failure " + consecutiveFailures + " in a row; next poll in " + delay.toSeconds() + "s)");
    }

    private Article article(FeedItem item, String source, ParsedFeed feed) {
        Instant fetched = ctx.clock().instant();
        ArticleId id = ArticleId.of(item.link(), item.guid(), item.title(), item.published().orElse(null));
        Optional<String> link = item.link();
        String feedLanguage = spec.language() != null ? spec.language() : feed.language().orElse(null);
        if (link.isPresent()) {
            Optional<ArticleExtractor.Extracted> page = page(link.get());
            if (page.isPresent()) {
                ArticleExtractor.Extracted x = page.get();
                ctx.metrics().extraction("extracted");
                String title = item.title().isEmpty() ? x.title() : item.title();
                Instant published = item.published().orElseGet(() -> x.published().filter(p ->
                        ctx.parser().dateRule().judge(Optional.of(p), Optional.empty()).verdict() == DateRule.Verdict.OK).orElse(null));
                String language = spec.language() != null ? spec.language() : x.language().orElse(feedLanguage);
                return new Article(Article.SCHEMA_VERSION, id, spec.id(), source, link.get(), title, x.text(), Article.TextOrigin.EXTRACTED,
                        published, fetched, language, x.author().or(item::author).orElse(null), x.canonicalUrl().orElse(null));
            }
        }
        ctx.metrics().extraction(link.isPresent() ? "fallback" : "no_link");
        return new Article(Article.SCHEMA_VERSION, id, spec.id(), source, link.orElse(""), item.title(), item.summary(),
                Article.TextOrigin.FEED_SUMMARY, item.published().orElse(null), fetched, feedLanguage, item.author().orElse(null), null);
    }

    /** The extracted page, or empty (reported) when robots.txt, the fetch or the extraction says no. */
    private Optional<ArticleExtractor.Extracted> page(String link) {
        URI uri;
        try {
            uri = new URI(link);
        } catch (URISyntaxException e) {
            report(Stage.FETCH_PAGE, Reason.MALFORMED, link, "not a usable URL: " + e.getMessage() + "; using the feed summary");
            return Optional.empty();
        }
        if (ctx.robots().isPresent() && uri.getHost() != null) {
            RobotsCache.Verdict v = ctx.robots().get().check(uri);
            if (!v.allowed()) {
                report(Stage.FETCH_PAGE, Reason.ROBOTS, link, v.why() + "; using the feed summary");
                return Optional.empty();
            }
        }
        Instant started = ctx.clock().instant();
        FetchResult page;
        try {
            page = ctx.fetcher().get(FetchRequest.of(uri, PAGE_ACCEPT, ctx.maxPageBytes()));
        } catch (FetchException e) {
            ctx.metrics().fetched("page", Duration.between(started, ctx.clock().instant()), 0);
            report(Stage.FETCH_PAGE, e.reason(), link, e.getMessage() + "; using the feed summary");
            return Optional.empty();
        }
        ctx.metrics().fetched("page", Duration.between(started, ctx.clock().instant()), page.wireBytes());
        try {
            return Optional.of(ctx.extractor().extract(page.body(), page.contentType(), page.uri().toString()));
        } catch (ExtractionException e) {
            report(Stage.EXTRACT_PAGE, e.reason().ingestReason(), link, e.getMessage() + "; using the feed summary");
            return Optional.empty();
        }
    }

    private void report(Stage stage, Reason reason, String url, String message) {
        IngestError error = new IngestError(IngestError.SCHEMA_VERSION, spec.id(), url, stage, reason, message, ctx.clock().instant());
        log.warn("ingest: {} {} failed ({}): {} [{}]", spec.id(), stage.wireName(), reason.wireName(), LogText.of(message), LogText.of(url));
        ctx.metrics().error(error);
        ctx.sink().error(error);
    }

    private record Pending(ItemIdentity.Keys keys, FeedItem item, int index) {
    }
}

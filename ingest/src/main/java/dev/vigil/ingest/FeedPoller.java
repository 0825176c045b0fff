package dev.vigil.ingest;

import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.IngestError;
import dev.vigil.model.IngestError.Stage;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one feed: fetch, parse, and for each item not seen before fetch the page, extract the
 * text and publish an {@link Article}. Never throws: every failure is reported to the sink with the
 * feed, the URL and the reason, and the poll goes on with the next item.
 */
public final class FeedPoller {

    private static final Logger log = LoggerFactory.getLogger(FeedPoller.class);
    private static final Pattern CHARSET = Pattern.compile("charset=\"?([^;\"\\s]+)", Pattern.CASE_INSENSITIVE);
    /** Items remembered per feed; far more than any feed lists at once. */
    static final int SEEN_CAPACITY = 10_000;

    private final FeedSpec spec;
    private final HttpFetcher fetcher;
    private final FeedParser parser = new FeedParser();
    private final ArticleExtractor extractor = new ArticleExtractor();
    private final ArticleSink sink;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Set<ArticleId> seen = new LinkedHashSet<>();

    public FeedPoller(FeedSpec spec, HttpFetcher fetcher, ArticleSink sink, IngestMetrics metrics, Clock clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public FeedSpec spec() {
        return spec;
    }

    /** One poll; returns the number of new articles published. */
    public synchronized int poll() {
        HttpFetcher.Response response;
        try {
            Instant started = clock.instant();
            response = fetcher.get(spec.url(), "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1");
            metrics.fetched("feed", Duration.between(started, clock.instant()));
        } catch (FetchException e) {
            report(Stage.FETCH_FEED, e.reason(), spec.url().toString(), e.getMessage());
            metrics.poll("error");
            return 0;
        }
        FeedParser.ParsedFeed feed;
        try {
            feed = parser.parse(response.body(), response.contentType(), response.uri());
        } catch (FetchException e) {
            report(Stage.PARSE_FEED, e.reason(), spec.url().toString(), e.getMessage());
            metrics.poll("error");
            return 0;
        }
        String source = spec.source() != null ? spec.source() : feed.title();
        List<Pending> fresh = new ArrayList<>();
        for (FeedParser.FeedItem item : feed.items()) {
            ArticleId id = ArticleId.of(item.link(), item.guid(), item.title(), item.published().orElse(null));
            if (!seen.contains(id) && fresh.stream().noneMatch(p -> p.id.equals(id))) {
                fresh.add(new Pending(id, item));
            }
        }
        // oldest first, so scoring sees a story develop in the order it was told
        fresh.sort(Comparator.comparing(p -> p.item.published().orElse(Instant.MAX)));
        List<Article> articles = new ArrayList<>();
        for (Pending p : fresh) {
            articles.add(article(p.id, p.item, source));
        }
        if (!articles.isEmpty()) {
            try {
                sink.publish(articles);
            } catch (ArticleSink.PublishException e) {
                report(Stage.PUBLISH, IngestError.Reason.UNREACHABLE, spec.url().toString(), e.getMessage() + "; will retry on the next poll");
                metrics.poll("error");
                return 0;
            }
            articles.forEach(a -> {
                remember(a.id());
                metrics.published();
            });
            log.info("ingest: {} published {} new article(s)", spec.id(), articles.size());
        }
        metrics.poll("ok");
        return articles.size();
    }

    private Article article(ArticleId id, FeedParser.FeedItem item, String source) {
        Instant fetched = clock.instant();
        Optional<String> link = item.link();
        if (link.isPresent()) {
            try {
                Instant started = clock.instant();
                HttpFetcher.Response page = fetcher.get(URI.create(link.get()), "text/html, application/xhtml+xml;q=0.9, */*;q=0.1");
                metrics.fetched("page", Duration.between(started, clock.instant()));
                ArticleExtractor.Extracted extracted = extractor.extract(decode(page), page.uri().toString());
                metrics.extraction("extracted");
                String title = item.title().isEmpty() ? extracted.title() : item.title();
                Instant published = item.published().or(extracted::published).orElse(null);
                String language = spec.language() != null ? spec.language() : extracted.language().orElse(null);
                return new Article(Article.SCHEMA_VERSION, id, spec.id(), source, link.get(), title, extracted.text(),
                        Article.TextOrigin.EXTRACTED, published, fetched, language);
            } catch (FetchException e) {
                report(Stage.FETCH_PAGE, e.reason(), link.get(), e.getMessage() + "; using the feed summary");
            } catch (ArticleExtractor.ExtractionException e) {
                report(Stage.EXTRACT_PAGE, IngestError.Reason.EMPTY, link.get(), e.getMessage() + "; using the feed summary");
            } catch (IllegalArgumentException e) {
                report(Stage.FETCH_PAGE, IngestError.Reason.MALFORMED, link.get(), "not a usable URL: " + e.getMessage() + "; using the feed summary");
            }
        }
        metrics.extraction("fallback");
        return new Article(Article.SCHEMA_VERSION, id, spec.id(), source, link.orElse(""), item.title(), item.summary(),
                Article.TextOrigin.FEED_SUMMARY, item.published().orElse(null), fetched, spec.language());
    }

    private static String decode(HttpFetcher.Response page) {
        Charset charset = StandardCharsets.UTF_8;
        if (page.contentType().isPresent()) {
            Matcher m = CHARSET.matcher(page.contentType().get());
            if (m.find()) {
                try {
                    charset = Charset.forName(m.group(1));
                } catch (IllegalArgumentException e) {
                    // unknown charset name: UTF-8 is the web's default and the best guess
                }
            }
        }
        return new String(page.body(), charset);
    }

    private void report(Stage stage, IngestError.Reason reason, String url, String message) {
        IngestError error = new IngestError(IngestError.SCHEMA_VERSION, spec.id(), url, stage, reason, message, clock.instant());
        log.warn("ingest: {} {} failed ({}): {} [{}]", spec.id(), stage.wireName(), reason.wireName(), message, url);
        metrics.error(error);
        sink.error(error);
    }

    private void remember(ArticleId id) {
        seen.add(id);
        if (seen.size() > SEEN_CAPACITY) {
            seen.remove(seen.iterator().next());
        }
    }

    private record Pending(ArticleId id, FeedParser.FeedItem item) {
    }
}

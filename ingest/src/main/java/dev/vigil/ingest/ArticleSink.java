package dev.vigil.ingest;

import dev.vigil.model.Article;
import dev.vigil.model.IngestError;
import java.util.List;
import java.util.Objects;

/** Where a poll's results go: {@code vigil.articles} and {@code vigil.ingest.errors} in production. */
public interface ArticleSink {

    /**
     * Publishes articles; returns only once all are durably written or refused for good, else
     * throws. An article that can never be written (over the record limit, unserialisable) is
     * refused, not retried: it comes back in the list, and the others are published.
     *
     * @return the refused articles, each with why; empty when all were written
     */
    List<Refused> publish(List<Article> articles) throws PublishException;

    /** Reports a failure; must not throw. */
    void error(IngestError error);

    /** An article Kafka can never take, and why (a permanent error of that item, not of the feed). */
    record Refused(Article article, IngestError.Reason reason, String message) {
        public Refused {
            Objects.requireNonNull(article, "article");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Publishing failed for now (the broker is unavailable); the articles will be retried on the next poll. */
    final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

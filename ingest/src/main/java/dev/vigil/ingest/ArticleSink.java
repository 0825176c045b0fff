package dev.vigil.ingest;

import dev.vigil.model.Article;
import dev.vigil.model.IngestError;

/** Where a poll's results go: {@code vigil.articles} and {@code vigil.ingest.errors} in production. */
public interface ArticleSink {

    /** Publishes articles; returns only once all are durably written, else throws. */
    void publish(java.util.List<Article> articles) throws PublishException;

    /** Reports a failure; must not throw. */
    void error(IngestError error);

    /** Publishing failed; the articles will be retried on the next poll. */
    final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package dev.vigil.alerts;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;

/** A receiver of alerts: the console, a webhook, … */
public interface Channel {

    /** The receiver's configured name; safe to log (never a URL, which may carry a token). */
    String name();

    Delivery.Channel kind();

    /** Delivers one alert, or throws saying whether trying again can help. */
    void deliver(Alert alert) throws DeliveryException;

    /** A failed delivery attempt. */
    final class DeliveryException extends Exception {

        private final boolean retryable;

        public DeliveryException(boolean retryable, String detail) {
            super(detail);
            this.retryable = retryable;
        }

        public DeliveryException(boolean retryable, String detail, Throwable cause) {
            super(detail, cause);
            this.retryable = retryable;
        }

        /** True for failures that may pass (5xx, 429, timeouts, refused connections). */
        public boolean retryable() {
            return retryable;
        }
    }
}

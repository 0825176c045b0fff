package dev.vigil.app;

import dev.vigil.model.kafka.KafkaConnection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Kafka refused or did not answer, said in one line an operator can act on: which cluster, as
 * whom, what failed (authentication, authorisation, no answer). The CLI prints the message and
 * exits 1. Messages carry the principal's name, never a password: Kafka's own exception messages
 * do not contain the credentials, and the connection shows only {@link KafkaConnection#principal()}.
 */
final class KafkaProblem extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    KafkaProblem(String message) {
        super(message);
    }

    private KafkaProblem(String message, Throwable cause) {
        super(message, cause);
    }

    /** What went wrong while trying {@code doing} (e.g. "prepare Vigil's topics"). */
    static KafkaProblem of(KafkaConnection kafka, String doing, Throwable failure) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        String at = "Kafka at " + kafka.bootstrapServers();
        if (cause instanceof SslAuthenticationException) {
            return new KafkaProblem(at + ": TLS handshake failed (" + kafka.securityProtocol() + "; check ssl.truststore.* and the certificate): "
                    + firstLine(cause), cause);
        }
        if (cause instanceof AuthenticationException) {
            return new KafkaProblem(at + ": SASL authentication failed for " + kafka.principal() + ": " + firstLine(cause), cause);
        }
        if (cause instanceof TopicAuthorizationException t) {
            return new KafkaProblem(at + ": " + kafka.principal() + " is not authorised to use the topics " + String.join(", ", t.unauthorizedTopics())
                    + " (see docs/deploying.md for the ACLs each service needs)", cause);
        }
        if (cause instanceof GroupAuthorizationException g) {
            return new KafkaProblem(at + ": " + kafka.principal() + " is not authorised to use the consumer group " + g.groupId()
                    + " (see docs/deploying.md)", cause);
        }
        if (cause instanceof TransactionalIdAuthorizationException) {
            return new KafkaProblem(at + ": " + kafka.principal() + " is not authorised to use its transactional id (Streams exactly-once; see docs/deploying.md)", cause);
        }
        if (cause instanceof AuthorizationException) {
            return new KafkaProblem(at + ": " + kafka.principal() + " is not authorised to " + doing + ": " + firstLine(cause) + " (see docs/deploying.md)", cause);
        }
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new KafkaProblem("cannot reach " + at + " to " + doing + " (no answer in time; " + kafka.securityProtocol()
                    + "): is it running, and is security.protocol right?", cause);
        }
        return new KafkaProblem("cannot " + doing + " at " + at + ": " + firstLine(cause), cause);
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package dev.vigil.model.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How this process reaches Kafka: the bootstrap servers and the client properties (security
 * protocol, SASL, TLS stores) every client shares. Built once per process from flags, environment
 * and {@code vigil.yaml}; every admin, producer, consumer and Streams configuration starts from
 * it, and this is the only place {@code bootstrap.servers} is set. A client then adds its own
 * settings (serializers, acks, isolation), which win over the shared ones: the client properties
 * say how to connect, not how Vigil uses a topic.
 *
 * <p>{@link #toString()} and {@link #describe()} hide every value whose name says it is a secret
 * ({@link #isSecret}), so a connection can be logged or shown by {@code vigil config check}.
 *
 * <pre>{@code
 * KafkaConnection kafka = KafkaConnection.to("kafka-1:9093")
 *         .withProperties(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", ...));
 * Properties p = kafka.producer();
 * p.put(ProducerConfig.ACKS_CONFIG, "all");
 * }</pre>
 *
 * <p>The connection also carries the deployment's topic prefix: {@link #topic} gives the name a
 * {@link Topics} descriptor has on this cluster ({@code staging.} makes {@code vigil.articles}
 * {@code staging.vigil.articles}), so two deployments can share one cluster.
 *
 * @param bootstrapServers {@code host:port,...}
 * @param properties       client properties shared by every client, in the order given
 * @param topicPrefix      put before every Vigil topic name on this cluster; empty by default
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties, String topicPrefix) {

    /**
     * A property holds a secret when its name says password, secret or jaas (the JAAS line carries
     * the password), or ends in key or token ({@code ssl.keystore.key}, a PEM private key); a
     * store's location or type is not one.
     */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(password|secret|jaas).*|.*[.-](key|token)");
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    private static final String HIDDEN = "(hidden)";

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers: expected host:port,..., found nothing");
        }
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(properties, "properties")));
        if (properties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("properties: bootstrap.servers is the connection's own, not a client property");
        }
        checkTopicPrefix(Objects.requireNonNull(topicPrefix, "topicPrefix"));
    }

    /** A connection without a topic prefix. */
    public KafkaConnection(String bootstrapServers, Map<String, String> properties) {
        this(bootstrapServers, properties, "");
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code prefix} followed by every Vigil topic
     * name is a legal Kafka topic name ({@link Topic#nameProblem}): letters, digits, {@code .},
     * {@code _} and {@code -}, at most 249 characters in all.
     */
    public static void checkTopicPrefix(String prefix) {
        if (!Topic.hasLegalCharacters(prefix)) {
            throw new IllegalArgumentException("topic-prefix: expected " + Topic.NAME_CHARACTERS + " (e.g. staging.), found \"" + prefix + "\"");
        }
        int longest = Topics.all().stream().mapToInt(t -> t.name().length()).max().orElse(0);
        if (prefix.length() + longest > Topic.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("topic-prefix: expected at most " + (Topic.MAX_NAME_LENGTH - longest)
                    + " characters (Kafka topic names end at " + Topic.MAX_NAME_LENGTH + "), found " + prefix.length());
        }
    }

    /** An open cluster: plaintext, no authentication (the embedded broker, a developer's Kafka). */
    public static KafkaConnection to(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** The same cluster with more client properties, each over what was there. */
    public KafkaConnection withProperties(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.putAll(more);
        return new KafkaConnection(bootstrapServers, all, topicPrefix);
    }

    /** The same cluster and client properties with a topic prefix ({@link #topic}). */
    public KafkaConnection withTopicPrefix(String prefix) {
        return new KafkaConnection(bootstrapServers, properties, prefix);
    }

    /**
     * A {@link Topics} descriptor as this deployment names it on the cluster: the same serdes and
     * layout under {@code topicPrefix + name}.
     *
     * <pre>{@code
     * producer.send(kafka.topic(Topics.ARTICLES).record(article.id(), article));
     * }</pre>
     */
    public <K, V> Topic<K, V> topic(Topic<K, V> topic) {
        return topic.prefixed(topicPrefix);
    }

    /** The start of an admin client's configuration. */
    public Properties admin() {
        return base();
    }

    /** The start of a producer's configuration. */
    public Properties producer() {
        return base();
    }

    /**
     * The start of the configuration of a producer whose writes must be neither lost nor written
     * twice by its retries (attempt records, dead letters, silences): every in-sync replica
     * acknowledges ({@code acks=all}) and the producer is idempotent.
     */
    public Properties durableProducer(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        Properties p = producer();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /** The start of a consumer's configuration. */
    public Properties consumer() {
        return base();
    }

    /**
     * The start of a Kafka Streams configuration: the client properties apply to its consumers,
     * producers and admin client alike.
     */
    public Properties streams() {
        return base();
    }

    private Properties base() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(properties);
        return p;
    }

    /** {@code security.protocol}, {@code PLAINTEXT} unless set. */
    public String securityProtocol() {
        return properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").toUpperCase(Locale.ROOT);
    }

    /**
     * Who this connection is to the cluster, safe to show: the SASL user named in
     * {@code sasl.jaas.config}, a TLS client certificate, or anonymous.
     */
    public String principal() {
        String protocol = securityProtocol();
        if (protocol.startsWith("SASL")) {
            String mechanism = properties.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
            Matcher user = JAAS_USER.matcher(properties.getOrDefault(SaslConfigs.SASL_JAAS_CONFIG, ""));
            return user.find() ? "user " + user.group(1) + " (" + mechanism + ")" : "a SASL " + mechanism + " login";
        }
        if (protocol.equals("SSL") && properties.containsKey("ssl.keystore.location")) {
            return "the TLS client certificate in " + properties.get("ssl.keystore.location");
        }
        return "an anonymous client (" + protocol + ")";
    }

    /** Whether a client property holds a secret, by its name: never logged, shown or written inline in {@code vigil.yaml}. */
    public static boolean isSecret(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** The client properties, sorted, with every secret's value replaced by {@code (hidden)}. */
    public Map<String, String> describe() {
        return describe(properties);
    }

    /** Client properties, sorted, with every secret's value replaced by {@code (hidden)}. */
    public static Map<String, String> describe(Map<String, String> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k, isSecret(k) ? HIDDEN : v));
        return out;
    }

    @Override
    public String toString() {
        return "KafkaConnection[" + bootstrapServers + ", " + describe() + (topicPrefix.isEmpty() ? "" : ", topic prefix " + topicPrefix) + "]";
    }
}

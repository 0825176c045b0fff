package dev.vigil.alerts;

import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.model.Level;
import dev.vigil.model.Silence;
import dev.vigil.model.SilenceId;
import dev.vigil.model.TopicName;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblems;
import dev.vigil.model.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a routing file: receivers, routes, silences, repeat interval and retries, validated as a
 * whole. Every problem is reported with file, line, column and key, and unknown keys are
 * errors. Secrets (signing keys, passwords, URLs with tokens) are never written in the file:
 * they are read from an environment variable ({@code {env: NAME}}) or a file
 * ({@code {file: PATH}}, relative to the routing file), and no message ever shows one.
 *
 * <pre>{@code
 * Routing routing = RoutingFile.load(Path.of("routing.yaml"), System::getenv);
 * }</pre>
 */
public final class RoutingFile {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*(s|m|h)");
    private static final Set<String> TOP = Set.of("receivers", "routes", "silences", "repeatInterval", "retry", "egress");
    private static final Set<String> RETRY = Set.of("maxAttempts", "initialBackoff", "maxBackoff", "giveUpAfter");
    private static final Set<String> ROUTE = Set.of("topics", "levels", "receivers");
    private static final Set<String> SILENCE = Set.of("id", "topic", "level", "until", "reason");
    private static final Set<String> SECRET = Set.of("env", "file");
    private static final Set<String> PACING = Set.of("timeout", "rate");
    private static final Map<String, Set<String>> RECEIVER_KEYS = Map.of(
            "console", Set.of("type"),
            "log", Set.of("type"),
            "webhook", Set.of("type", "url", "secret", "secrets", "timeout", "rate"),
            "slack", Set.of("type", "url", "timeout", "rate"),
            "email", Set.of("type", "smtp", "from", "to", "timeout", "rate"));
    private static final Set<String> SMTP = Set.of("host", "port", "tls", "username", "password", "checkServerIdentity", "allowPlaintextPassword");

    private final ConfigProblems problems = new ConfigProblems();
    private final Function<String, String> env;
    private final Path dir;

    private RoutingFile(Function<String, String> env, Path dir) {
        this.env = env;
        this.dir = dir;
    }

    /** Loads and validates a routing file; throws {@link dev.vigil.model.config.InvalidConfigException} listing every problem. */
    public static Routing load(Path file, Function<String, String> env) {
        ConfigNode root = ConfigNode.load(file);
        Path dir = file.toAbsolutePath().getParent();
        return new RoutingFile(env, dir).read(root);
    }

    /** Parses routing text named {@code file} in messages; {@code {file: …}} secrets resolve against {@code dir}. */
    public static Routing parse(String file, String text, Path dir, Function<String, String> env) {
        return new RoutingFile(env, dir).read(ConfigNode.parse(file, text));
    }

    private Routing read(ConfigNode root) {
        Map<String, ConfigNode> top = root.map(problems, TOP).orElse(Map.of());
        List<Receiver> receivers = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Optional.ofNullable(top.get("receivers")).flatMap(n -> n.map(problems, Set.of())).ifPresent(map -> map.forEach((name, node) -> {
            if (!ReceiverName.isValid(name)) {
                problems.add(node, "receiver name: expected 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
                return;
            }
            names.add(name);
            receiver(new ReceiverName(name), node).ifPresent(receivers::add);
        }));
        List<Route> routes = new ArrayList<>();
        Optional.ofNullable(top.get("routes")).flatMap(n -> n.list(problems)).ifPresent(list -> list.forEach(n -> route(n, names).ifPresent(routes::add)));
        if (top.containsKey("receivers") && routes.isEmpty() && !receivers.isEmpty() && problems.isEmpty()) {
            problems.add(top.get("receivers"), "no route sends alerts to these receivers; add a 'routes' list (a route without topics or levels matches every alert)");
        }
        List<Silence> silences = new ArrayList<>();
        Optional.ofNullable(top.get("silences")).flatMap(n -> n.list(problems)).ifPresent(list -> {
            for (int i = 0; i < list.size(); i++) {
                silence(list.get(i), i + 1).ifPresent(silences::add);
            }
        });
        Duration repeat = Optional.ofNullable(top.get("repeatInterval")).flatMap(n -> n.duration(problems)).orElse(Routing.DEFAULT_REPEAT_INTERVAL);
        RetryPolicy retry = Optional.ofNullable(top.get("retry")).flatMap(this::retry).orElse(RetryPolicy.DEFAULT);
        List<Cidr> egressAllow = Optional.ofNullable(top.get("egress")).map(this::egressAllow).orElse(List.of());
        problems.throwIfAny();
        return new Routing(receivers, routes, silences, repeat, retry, egressAllow);
    }

    private Optional<Receiver> receiver(ReceiverName name, ConfigNode node) {
        Map<String, ConfigNode> raw = quietMap(node).orElse(null);
        if (raw == null) {
            node.map(problems, Set.of());
            return Optional.empty();
        }
        if (!raw.containsKey("type")) {
            problems.add(node, "missing key 'type': one of " + String.join(", ", new java.util.TreeSet<>(RECEIVER_KEYS.keySet())));
            return Optional.empty();
        }
        String type = raw.get("type").string(problems).orElse("");
        Set<String> allowed = RECEIVER_KEYS.get(type);
        if (allowed == null) {
            problems.add(raw.get("type"), "expected one of " + String.join(", ", new java.util.TreeSet<>(RECEIVER_KEYS.keySet())) + ", found '" + type + "'");
            return Optional.empty();
        }
        Map<String, ConfigNode> m = node.map(problems, allowed).orElse(Map.of());
        try {
            switch (type) {
                case "console":
                    return Optional.of(new Receiver.Console(name));
                case "log":
                    return Optional.of(new Receiver.Log(name));
                case "webhook": {
                    Optional<Secret> url = required(node, m, "url").flatMap(n -> secret(n, true));
                    List<Secret> secrets = new ArrayList<>();
                    if (m.containsKey("secret") && m.containsKey("secrets")) {
                        problems.add(m.get("secrets"), "give either 'secret' or 'secrets', not both");
                    }
                    Optional.ofNullable(m.get("secret")).flatMap(n -> secret(n, false)).ifPresent(secrets::add);
                    Optional.ofNullable(m.get("secrets")).flatMap(n -> n.list(problems))
                            .ifPresent(list -> list.forEach(n -> secret(n, false).ifPresent(secrets::add)));
                    Receiver.Pacing pacing = pacing(m);
                    if (url.isEmpty() || pacing == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new Receiver.Webhook(name, url.get(), secrets, pacing));
                }
                case "slack": {
                    Optional<Secret> url = required(node, m, "url").flatMap(n -> secret(n, true));
                    Receiver.Pacing pacing = pacing(m);
                    if (url.isEmpty() || pacing == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new Receiver.Slack(name, url.get(), pacing));
                }
                default: {
                    Optional<Receiver.Smtp> smtp = required(node, m, "smtp").flatMap(this::smtp);
                    Optional<String> from = required(node, m, "from").flatMap(n -> n.string(problems));
                    List<String> to = required(node, m, "to").map(n -> n.stringList(problems)).orElse(List.of());
                    Receiver.Pacing pacing = pacing(m);
                    if (smtp.isEmpty() || from.isEmpty() || to.isEmpty() || pacing == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new Receiver.Email(name, smtp.get(), from.get(), to, pacing));
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(node, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<ConfigNode> required(ConfigNode parent, Map<String, ConfigNode> m, String key) {
        ConfigNode n = m.get(key);
        if (n == null) {
            problems.add(parent, "missing key '" + key + "'");
        }
        return Optional.ofNullable(n);
    }

    /** Pacing from {@code timeout} and {@code rate}; null when one of them is invalid (already reported). */
    private Receiver.Pacing pacing(Map<String, ConfigNode> m) {
        Duration timeout = Receiver.Pacing.DEFAULT.timeout();
        double rate = Receiver.Pacing.DEFAULT.perSecond();
        boolean ok = true;
        if (m.containsKey("timeout")) {
            Optional<Duration> t = m.get("timeout").duration(problems);
            ok &= t.isPresent();
            timeout = t.orElse(timeout);
            if (t.isPresent() && (t.get().isZero() || t.get().isNegative())) {
                problems.add(m.get("timeout"), "expected a positive duration");
                ok = false;
            }
        }
        if (m.containsKey("rate")) {
            Optional<Double> r = m.get("rate").string(problems).flatMap(text -> {
                Matcher matcher = RATE.matcher(text.toLowerCase(Locale.ROOT));
                if (!matcher.matches() || Double.parseDouble(matcher.group(1)) <= 0) {
                    problems.add(m.get("rate"), "expected a rate such as 10/s, 120/m or 600/h, found '" + text + "'");
                    return Optional.empty();
                }
                double n = Double.parseDouble(matcher.group(1));
                return Optional.of(switch (matcher.group(2)) {
                    case "s" -> n;
                    case "m" -> n / 60;
                    default -> n / 3600;
                });
            });
            ok &= r.isPresent();
            rate = r.orElse(rate);
        }
        return ok ? new Receiver.Pacing(timeout, rate) : null;
    }

    private Optional<Receiver.Smtp> smtp(ConfigNode node) {
        Map<String, ConfigNode> m = node.map(problems, SMTP).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        Optional<String> host = required(node, m, "host").flatMap(n -> n.string(problems));
        Receiver.Tls tls = Optional.ofNullable(m.get("tls")).flatMap(n -> n.string(problems).flatMap(t -> {
            try {
                return Optional.of(Receiver.Tls.valueOf(t.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(n, "expected one of none, starttls, smtps, found '" + t + "'");
                return Optional.empty();
            }
        })).orElse(Receiver.Tls.STARTTLS);
        int defaultPort = tls == Receiver.Tls.SMTPS ? 465 : tls == Receiver.Tls.STARTTLS ? 587 : 25;
        Optional<Integer> port = Optional.ofNullable(m.get("port")).map(n -> n.integer(problems).orElse(-1));
        String username = Optional.ofNullable(m.get("username")).flatMap(n -> n.string(problems)).orElse(null);
        Secret password = Optional.ofNullable(m.get("password")).flatMap(n -> secret(n, false)).orElse(null);
        boolean check = Optional.ofNullable(m.get("checkServerIdentity")).flatMap(n -> n.bool(problems)).orElse(true);
        boolean plaintext = Optional.ofNullable(m.get("allowPlaintextPassword")).flatMap(n -> n.bool(problems)).orElse(false);
        if (host.isEmpty() || port.orElse(defaultPort) < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Receiver.Smtp(host.get(), port.orElse(defaultPort), tls, username, password, check, plaintext));
        } catch (IllegalArgumentException e) {
            problems.add(node, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A secret: {@code {env: NAME}} or {@code {file: PATH}}; a plain value only where
     * {@code plainAllowed} (a URL without a token may be written out).
     */
    private Optional<Secret> secret(ConfigNode node, boolean plainAllowed) {
        if (quietMap(node).isEmpty()) {
            if (!plainAllowed) {
                problems.add(node, "expected {env: NAME} or {file: PATH}: secrets are not written in the routing file");
                return Optional.empty();
            }
            return node.string(problems).map(v -> new Secret(v, node.path()));
        }
        Map<String, ConfigNode> m = node.map(problems, SECRET).orElse(Map.of());
        if (m.size() != 1) {
            problems.add(node, "expected exactly one of env or file");
            return Optional.empty();
        }
        if (m.containsKey("env")) {
            Optional<String> name = m.get("env").string(problems);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            String value = env.apply(name.get());
            if (value == null || value.isBlank()) {
                problems.add(m.get("env"), "the environment variable " + name.get() + " is not set");
                return Optional.empty();
            }
            return Optional.of(new Secret(value.strip(), "env " + name.get()));
        }
        Optional<String> path = m.get("file").string(problems);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path file = dir == null ? Path.of(path.get()) : dir.resolve(path.get());
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                problems.add(m.get("file"), "the file " + file + " is empty");
                return Optional.empty();
            }
            return Optional.of(new Secret(value, "file " + file));
        } catch (IOException e) {
            problems.add(m.get("file"), "cannot read " + file + ": " + e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private Optional<Route> route(ConfigNode node, Set<String> receiverNames) {
        Map<String, ConfigNode> m = node.map(problems, ROUTE).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        Set<TopicName> topics = new LinkedHashSet<>();
        Optional.ofNullable(m.get("topics")).ifPresent(n -> n.stringList(problems).forEach(t -> {
            try {
                topics.add(new TopicName(t));
            } catch (IllegalArgumentException e) {
                problems.add(n, e.getMessage());
            }
        }));
        Set<Level> levels = new LinkedHashSet<>();
        Optional.ofNullable(m.get("levels")).ifPresent(n -> n.stringList(problems).forEach(l -> level(n, l).ifPresent(levels::add)));
        List<ReceiverName> receivers = new ArrayList<>();
        ConfigNode rn = required(node, m, "receivers").orElse(null);
        if (rn != null) {
            for (String r : rn.stringList(problems)) {
                if (!receiverNames.contains(r)) {
                    problems.add(rn, "no receiver named '" + r + "'; receivers are " + String.join(", ", receiverNames));
                } else {
                    receivers.add(new ReceiverName(r));
                }
            }
            if (receivers.isEmpty()) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(new Route(topics, levels, receivers));
    }

    private Optional<Level> level(ConfigNode node, String text) {
        try {
            return Optional.of(Level.fromWireName(text.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            problems.add(node, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Silence> silence(ConfigNode node, int n) {
        Map<String, ConfigNode> m = node.map(problems, SILENCE).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        int before = problems.list().size();
        SilenceId id = Optional.ofNullable(m.get("id")).flatMap(x -> x.string(problems)).flatMap(s -> {
            try {
                return Optional.of(new SilenceId(s));
            } catch (IllegalArgumentException e) {
                problems.add(m.get("id"), e.getMessage());
                return Optional.empty();
            }
        }).orElse(new SilenceId("routing-file-" + n));
        TopicName topic = Optional.ofNullable(m.get("topic")).flatMap(x -> x.string(problems)).flatMap(t -> {
            try {
                return Optional.of(new TopicName(t));
            } catch (IllegalArgumentException e) {
                problems.add(m.get("topic"), e.getMessage());
                return Optional.empty();
            }
        }).orElse(null);
        Level level = Optional.ofNullable(m.get("level")).flatMap(x -> x.string(problems)).flatMap(l -> level(m.get("level"), l)).orElse(null);
        Optional<Instant> until = required(node, m, "until").flatMap(x -> x.string(problems).flatMap(t -> {
            try {
                return Optional.of(OffsetDateTime.parse(t).toInstant());
            } catch (DateTimeParseException e) {
                problems.add(x, "expected a date and time such as 2026-12-01T00:00:00Z, found '" + t + "'");
                return Optional.empty();
            }
        }));
        Optional<String> reason = required(node, m, "reason").flatMap(x -> x.string(problems));
        if (problems.list().size() > before || until.isEmpty() || reason.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Silence(Silence.SCHEMA_VERSION, id, topic, level, until.get(), reason.get(), "routing-file", Instant.EPOCH));
        } catch (IllegalArgumentException e) {
            problems.add(node, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<RetryPolicy> retry(ConfigNode node) {
        Map<String, ConfigNode> m = node.map(problems, RETRY).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        RetryPolicy d = RetryPolicy.DEFAULT;
        int before = problems.list().size();
        int attempts = Optional.ofNullable(m.get("maxAttempts")).flatMap(n -> n.integer(problems)).orElse(d.maxAttempts());
        Duration initial = Optional.ofNullable(m.get("initialBackoff")).flatMap(n -> n.duration(problems)).orElse(d.initialBackoff());
        Duration max = Optional.ofNullable(m.get("maxBackoff")).flatMap(n -> n.duration(problems)).orElse(d.maxBackoff());
        Duration giveUp = Optional.ofNullable(m.get("giveUpAfter")).flatMap(n -> n.duration(problems)).orElse(d.giveUpAfter());
        if (problems.list().size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RetryPolicy(attempts, initial, max, giveUp));
        } catch (IllegalArgumentException e) {
            problems.add(node, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code egress: {allow: [10.20.0.0/16, ...]}}: addresses receivers may connect to although the guard refuses them by default. */
    private List<Cidr> egressAllow(ConfigNode node) {
        List<Cidr> out = new ArrayList<>();
        node.map(problems, Set.of("allow")).map(m -> m.get("allow")).ifPresent(allow -> allow.stringList(problems).forEach(text -> {
            try {
                out.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(allow, e.getMessage());
            }
        }));
        return out;
    }

    /** The node as a map, or empty when it is not a clean one; reports nothing (the caller decides what is wrong). */
    private static Optional<Map<String, ConfigNode>> quietMap(ConfigNode node) {
        ConfigProblems scratch = new ConfigProblems();
        Optional<Map<String, ConfigNode>> m = node.map(scratch, Set.of());
        return scratch.isEmpty() ? m : Optional.empty();
    }
}

package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.model.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code vigil} command shown in the docs (README.md and docs/*.md, in their {@code sh}
 * blocks) runs, in-process through {@link Vigil#commandLine(Map)}, against a real broker and
 * fixture files, and ends with exit code 0, or the one its line documents ({@code # exit 2: …}).
 * Each output block ({@code ```text}, {@link DocOutput}) is compared with the real output of the
 * last vigil command shown before it, with what varies masked; {@code ```text illustrative} blocks
 * are listed, not compared. The docs cannot drift from the code.
 *
 * <p>What the harness does to a command, and why (the docs are written for a person with a
 * network and a shell; this test has neither):
 * <ul>
 *   <li>It runs in a work folder holding the repository's {@code examples/}, {@code docs/examples/}
 *       and rule pack, where every URL in those files points to a loopback fixture server that
 *       serves a feed for any path ({@code https://host/path} becomes
 *       {@code http://127.0.0.1:PORT/host/path}), so no request or DNS query leaves the machine.
 *       An argument naming a file there is given its absolute path; {@code > FILE} writes there;
 *       {@code cp A B} copies there; {@code export NAME=VALUE} and {@code NAME=VALUE vigil …}
 *       set the environment of the commands that follow / of that command.</li>
 *   <li>Every {@code --bootstrap-servers} and {@code VIGIL_BOOTSTRAP_SERVERS} becomes the test's
 *       broker, which every command but a {@code vigil demo} that names no cluster is given (that one
 *       starts its own embedded broker, as it does for the reader); every {@code --url} and {@code VIGIL_URL} a {@code vigil run} this test keeps
 *       running; every {@code --http-port} a free port; a silence id the one the last
 *       {@code silence add} printed; a feed URL the fixture server's, with
 *       {@code --allow 127.0.0.1/32} and the {@code --id} the original URL would have given.</li>
 *   <li>The test's broker is plaintext: every {@code --kafka-config FILE} and
 *       {@code VIGIL_KAFKA_CONFIG} is dropped, except for {@code vigil config check}, which only
 *       reads the file. {@code SecureKafkaIT} runs Vigil against SASL and TLS listeners.</li>
 *   <li>The catalogue starts with the bundled list (pointing at the fixture server), as
 *       {@code vigil run} would give an empty one, so nothing ever polls a real address.</li>
 *   <li>Commands that run until stopped ({@code run}, {@code ingest}, {@code streams},
 *       {@code alerts}) are started, must answer 200 on {@code /health/ready}, and are stopped;
 *       {@code vigil demo} runs as {@code vigil demo --until-alert}, or {@code --until-resolved} when an
 *       output block shows what it prints. {@code vigil config check} only reads, so it gets neither the
 *       test's broker nor its ports and data folders: it shows the settings the doc's reader would have.</li>
 *   <li>In the output compared, each absolute path the harness gave for a name the doc wrote is that
 *       name again.</li>
 * </ul>
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DocsCommandsIT {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final List<String> GUIDES = List.of("docs/getting-started.md", "docs/operator-guide.md", "docs/subscriber-guide.md", "docs/deploying.md");
    static final Pattern URL = Pattern.compile("https?://([^/\\s\"']+)(/[^\\s\"']*)?");
    static final Pattern SILENCE_ID = Pattern.compile("s-[0-9a-f]{12}");
    static final Pattern EXIT = Pattern.compile("\\bexit (\\d)\\b");

    @TempDir
    static Path tmp;

    static EmbeddedKafka kafka;
    static String bootstrap;
    static HttpServer fixture;
    static String fixtureBase;
    static Path work;
    static String liveUrl;
    static Thread live;
    static final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
        bootstrap = kafka.bootstrapServers();
        TopicAdmin.ensureTopics(bootstrap);
        fixture = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fixture.setExecutor(Executors.newFixedThreadPool(4));
        fixture.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET")) {
                ex.getRequestBody().readAllBytes();
                Replies.send(ex, 200, "text/plain", "ok");     // a webhook receiver
            } else if (path.contains("not-a-feed")) {
                Replies.send(ex, 200, "text/html", "<html><head><title>A page</title></head><body><p>Not a feed.</p></body></html>");
            } else {
                Replies.send(ex, 200, "application/rss+xml", "<rss version=\"2.0\"><channel><title>Fixture " + path + "</title><link>" + fixtureBase
                        + "/</link><description>d</description><item><guid>" + path + "#1</guid><title>A story</title><link>" + fixtureBase
                        + "/p" + path + "</link><pubDate>Sun, 16 Nov 2025 10:00:00 GMT</pubDate></item></channel></rss>");
            }
        });
        fixture.start();
        fixtureBase = "http://127.0.0.1:" + fixture.getAddress().getPort();

        work = Files.createDirectories(tmp.resolve("work"));
        copyTree(REPO.resolve("examples"), work.resolve("examples"));
        copyTree(REPO.resolve("docs/examples"), work.resolve("docs/examples"));
        Path pack = work.resolve("streams/src/main/resources/rules/default.yaml");
        Files.createDirectories(pack.getParent());
        Files.copy(REPO.resolve("streams/src/main/resources/rules/default.yaml"), pack);
        // rules.md tests and applies rules.yaml, a saved page and past articles
        Files.copy(pack, work.resolve("rules.yaml"));
        Files.copy(work.resolve("examples/venezuela-articles.jsonl"), work.resolve("past.jsonl"));
        Files.writeString(work.resolve("saved-page.html"), "<html lang=\"en\"><head><title>US strikes another drug boat off Venezuela</title></head><body><article>"
                + "<h1>US strikes another drug boat off Venezuela</h1><p>" + "The Pentagon said a military strike destroyed a vessel near the coast of Venezuela. ".repeat(5)
                + "</p></article></body></html>");
        // alerts.md's demo names a routing file whose webhook, signed with VIGIL_WEBHOOK_SECRET, is the Python receiver's
        Files.writeString(work.resolve("routing.yaml"), "receivers:\n  receiver: {type: webhook, url: \"" + fixtureBase
                + "/webhook\", secret: {env: VIGIL_WEBHOOK_SECRET}}\nroutes:\n  - receivers: [receiver]\n");

        try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, Duration.ofSeconds(30))) {
            catalogue.seed(FeedsFile.loadBundled().feeds().stream().map(f -> new FeedSpec(f.id(), URI.create(local(f.url().toString())), f.source(),
                    f.language(), f.region(), f.interval(), f.minInterval(), f.maxInterval()).toDefinition("bundled", Instant.now())).toList());
        }
        // the live instance's ingest must reach the fixture on loopback, as a deployment reaches its feeds: its own feeds file
        // allows 127.0.0.1 (an allow-list never travels with a catalogue entry), else `vigil status` rightly says no feed is reachable
        StringBuilder liveFeeds = new StringBuilder("egress:\n  allow: [127.0.0.1/32]\nfeeds:\n");
        for (FeedSpec f : FeedsFile.loadBundled().feeds()) {
            liveFeeds.append("  - id: ").append(f.id().value()).append("\n    url: ").append(Json.mapper().writeValueAsString(local(f.url().toString())))
                    .append("\n    source: ").append(Json.mapper().writeValueAsString(f.source()))
                    .append(f.language() == null ? "" : "\n    language: " + f.language())
                    .append(f.region() == null ? "" : "\n    region: " + f.region()).append("\n");
        }
        Path liveFeedsFile = Files.writeString(tmp.resolve("live-feeds.yaml"), liveFeeds);
        int port = freePort();
        liveUrl = "http://127.0.0.1:" + port;
        Map<String, String> env = Map.of("VIGIL_BOOTSTRAP_SERVERS", bootstrap, "VIGIL_HTTP_PORT", String.valueOf(port), "VIGIL_DATA_DIR",
                tmp.resolve("live").toString(), "VIGIL_FEEDS", liveFeedsFile.toString());
        live = new Thread(() -> Vigil.commandLine(env).execute("run"), "docs-live-vigil");
        live.start();
        awaitReady(port, live, new StringWriter());
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        if (live != null) {
            live.interrupt();
            live.join(30_000);
        }
        if (fixture != null) {
            fixture.stop(0);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** One command line of a doc, where it stands. */
    record DocCommand(String file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + text;
        }
    }

    @Test
    void everyVigilCommandInTheDocsRuns() throws Exception {
        List<Path> docs = new ArrayList<>();
        docs.add(REPO.resolve("README.md"));
        try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        Map<String, Integer> ran = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        List<String> compared = new ArrayList<>();
        List<String> illustrative = new ArrayList<>();
        List<String> drifted = new ArrayList<>();
        for (Path doc : docs) {
            String name = REPO.relativize(doc).toString();
            String text = Files.readString(doc);
            List<DocCommand> commands = commands(name, text);
            List<DocOutput> outputs = outputs(name, text);
            Map<String, String> docEnv = new HashMap<>();
            Ran last = null;
            int next = 0;
            for (int c = 0; c <= commands.size(); c++) {
                int upTo = c < commands.size() ? commands.get(c).line() : Integer.MAX_VALUE;
                for (; next < outputs.size() && outputs.get(next).line() < upTo; next++) {
                    DocOutput block = outputs.get(next);
                    String where = name + ":" + block.line();
                    if (block.illustrative()) {
                        illustrative.add(where);
                    } else if (last == null) {
                        drifted.add(where + ": an output block with no vigil command before it in " + name
                                + " (mark it ```text illustrative if it is not the output of a command shown)");
                    } else if (last.output() == null) {
                        drifted.add(where + ": the output of `" + last.command().text() + "` (" + name + ":" + last.command().line()
                                + ") cannot be compared: " + last.why() + " (mark the block ```text illustrative)");
                    } else {
                        compared.add(where + " = output of " + name + ":" + last.command().line());
                        Ran of = last;
                        block.compare(of.output()).ifPresent(m -> drifted.add(where + ": the output of `" + of.command().text() + "` ("
                                + name + ":" + of.command().line() + ") has drifted from the doc\n    first difference at " + name + ":" + m.docLine()
                                + "\n      doc:    " + m.expected() + "\n      actual: " + m.actual()
                                + "\n    doc block (masked):\n" + indent(DocOutput.masked(block.lines()))
                                + "\n    real output (masked):\n" + indent(DocOutput.masked(of.output().lines().toList()))));
                    }
                }
                if (c == commands.size()) {
                    break;
                }
                DocCommand command = commands.get(c);
                int following = c + 1;
                while (following < commands.size() && !isVigil(commands.get(following).text())) {
                    following++;
                }
                int nextVigilLine = following < commands.size() ? commands.get(following).line() : Integer.MAX_VALUE;
                boolean outputShown = next < outputs.size() && !outputs.get(next).illustrative() && outputs.get(next).line() < nextVigilLine;
                long t0 = System.nanoTime();
                Ran r = run(command, docEnv, outputShown);
                if (r != null) {
                    last = r;
                    ran.merge(name, 1, Integer::sum);
                    report.append(String.format(java.util.Locale.ROOT, "%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, command));
                }
            }
        }
        report.append("\noutput blocks compared (").append(compared.size()).append("):\n");
        compared.forEach(c -> report.append("  ").append(c).append('\n'));
        report.append("output blocks marked illustrative, not compared (").append(illustrative.size()).append("):\n");
        illustrative.forEach(c -> report.append("  ").append(c).append('\n'));
        Files.writeString(Path.of("target", "docs-commands-report.txt"), report);
        System.out.print(report);
        assertThat(drifted).as("output blocks of the docs that differ from the real output (DEVELOPERS.md, \"Output blocks in the docs\")").isEmpty();
        assertThat(ran.keySet()).as("every guide shows vigil commands, and the test found them").containsAll(GUIDES).contains("README.md");
        assertThat(ran.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(40);
        assertThat(compared).as("the docs show real output, and the test compares it").hasSizeGreaterThanOrEqualTo(4);
    }

    private static String indent(List<String> lines) {
        return String.join("\n", lines.stream().map(l -> "      | " + l).toList());
    }

    /** The output blocks of a doc: fenced blocks whose info string is {@code text} or {@code text illustrative}. */
    static List<DocOutput> outputs(String file, String text) {
        List<DocOutput> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = OUTPUT_FENCE.matcher(lines[i]);
            if (lines[i].startsWith("```") && !open.matches()) {
                // another kind of block: skip to its end, so its content is never read as a fence
                for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
                    // skipped
                }
                continue;
            }
            if (!open.matches()) {
                continue;
            }
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
                body.add(lines[i]);
            }
            out.add(new DocOutput(file, start + 1, body, open.group(1) != null));
        }
        return out;
    }

    static final Pattern OUTPUT_FENCE = Pattern.compile("```text( illustrative)?\\s*");

    /**
     * A vigil command that ran: its output as an output block is compared with (standard output
     * unless redirected, then standard error), or null and why it cannot be compared.
     */
    record Ran(DocCommand command, String output, String why) {
    }

    /** The command lines of a doc's sh blocks: continuation lines joined, blank lines and comment lines dropped. */
    static List<DocCommand> commands(String file, String text) {
        List<DocCommand> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean inBlock = false;
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                inBlock = !inBlock && line.matches("```(sh|bash|shell)\\s*");
                continue;
            }
            if (!inBlock) {
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String command = pending.toString().strip();
            pending = null;
            if (!command.isEmpty() && !command.startsWith("#")) {
                out.add(new DocCommand(file, start, command));
            }
        }
        return out;
    }

    /**
     * Runs one doc line if it is a vigil command (or export/cp); returns what ran, or null when it was no vigil command.
     *
     * @param outputShown whether an output block shows this command's output: a {@code vigil demo} then runs to the
     *                    end of its story ({@code --until-resolved}), else only to its first alert
     */
    static Ran run(DocCommand command, Map<String, String> docEnv, boolean outputShown) throws Exception {
        String text = command.text();
        int expected = 0;
        int hash = commentStart(text);
        if (hash >= 0) {
            Matcher m = EXIT.matcher(text.substring(hash));
            if (m.find()) {
                expected = Integer.parseInt(m.group(1));
            }
            text = text.substring(0, hash).strip();
        }
        Matcher sub = Pattern.compile("<\\((.*)\\)").matcher(text);
        if (sub.find()) {
            text = sub.group(1);     // source <(vigil completion)
        }
        List<String> words = words(text);
        if (words.isEmpty()) {
            return null;
        }
        if (words.get(0).equals("export")) {
            for (String w : words.subList(1, words.size())) {
                int eq = w.indexOf('=');
                docEnv.put(w.substring(0, eq), w.substring(eq + 1));
            }
            return null;
        }
        if (words.get(0).equals("cp") && words.size() == 3) {
            Files.copy(work.resolve(words.get(1)), work.resolve(words.get(2)), StandardCopyOption.REPLACE_EXISTING);
            return null;
        }
        givenPaths.clear();
        Map<String, String> lineEnv = new HashMap<>(docEnv);
        int w = 0;
        while (w < words.size() && words.get(w).matches("[A-Z_]+=.*")) {
            int eq = words.get(w).indexOf('=');
            lineEnv.put(words.get(w).substring(0, eq), words.get(w).substring(eq + 1));
            w++;
        }
        List<String> rest = words.subList(w, words.size());
        int launcher = launcherWords(rest);
        if (launcher == 0) {
            return null;    // curl, python3, kafka-console-consumer.sh, mvn: the reader's side, not Vigil
        }
        List<String> args = new ArrayList<>(rest.subList(launcher, rest.size()));
        boolean configCheck = args.size() > 1 && args.get(0).equals("config") && args.get(1).equals("check");
        Map<String, String> env = new HashMap<>();
        if (!configCheck) {
            // config check only reads: it shows the settings the doc's reader would have, not the harness's broker and ports
            env.put("VIGIL_DATA_DIR", tmp.resolve("data-" + runs.incrementAndGet()).toString());
            env.put("VIGIL_HTTP_PORT", String.valueOf(freePort()));
        }
        env.putAll(lineEnv);
        // a demo whose line names no cluster starts its own broker, as the reader's does: on the test's, the live
        // instance's streams would score the demo's articles too, and the demo print that instance's alerts as well
        boolean ownBroker = !args.isEmpty() && args.get(0).equals("demo") && !lineEnv.containsKey("VIGIL_BOOTSTRAP_SERVERS");
        if (!configCheck) {
            if (!ownBroker) {
                env.put("VIGIL_BOOTSTRAP_SERVERS", bootstrap);
            }
            env.put("VIGIL_URL", liveUrl);
        }
        env.replaceAll((k, v) -> !configCheck && k.equals("VIGIL_BOOTSTRAP_SERVERS") ? bootstrap : !configCheck && k.equals("VIGIL_URL") ? liveUrl : inWork(v));

        Path stdout = null;
        int redirect = args.indexOf(">");
        if (redirect >= 0) {
            stdout = work.resolve(args.get(redirect + 1));
            args = new ArrayList<>(args.subList(0, redirect));
        }
        int pipe = args.indexOf("|");
        if (pipe >= 0) {
            args = new ArrayList<>(args.subList(0, pipe));
        }
        args = rewrite(args);
        if (!configCheck) {
            env.remove("VIGIL_KAFKA_CONFIG");
            int k = args.indexOf("--kafka-config");
            if (k >= 0) {
                args.subList(k, k + 2).clear();
            }
        }
        if (!args.isEmpty() && args.get(0).equals("demo") && !args.contains("--until-alert") && !args.contains("--until-resolved")
                && !args.contains("--help")) {
            args.addAll(List.of(outputShown ? "--until-resolved" : "--until-alert", "--timeout", "180s"));
        }

        if (args.get(0).equals("status")) {
            // "while it runs": a service started and stopped by the line before may have sent the live one through a rebalance
            awaitReady(Integer.parseInt(liveUrl.substring(liveUrl.lastIndexOf(':') + 1)), live, new StringWriter());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        boolean forever = !args.isEmpty() && List.of("run", "ingest", "streams", "alerts").contains(args.get(0)) && !args.contains("--help");
        String what = command + "\n  ran as: vigil " + String.join(" ", args) + "\n  with " + env.keySet();
        if (forever) {
            int port = args.contains("--http-port") ? Integer.parseInt(args.get(args.indexOf("--http-port") + 1)) : Integer.parseInt(env.get("VIGIL_HTTP_PORT"));
            List<String> finalArgs = args;
            AtomicReference<Integer> exit = new AtomicReference<>();
            Thread t = new Thread(() -> exit.set(cli(env, out, err).execute(finalArgs.toArray(String[]::new))), "docs-" + args.get(0));
            t.start();
            try {
                awaitReady(port, t, err);
            } catch (AssertionError e) {
                fail(what + "\n  exit " + exit.get() + "\n  out: " + out + "\n  err: " + err, e);
            } finally {
                t.interrupt();
                t.join(30_000);
            }
            return new Ran(command, null, "it runs until stopped");
        }
        int exit = cli(env, out, err).execute(args.toArray(String[]::new));
        assertThat(exit).as("%s\n  out: %s\n  err: %s", what, out, err).isEqualTo(expected);
        Matcher silence = SILENCE_ID.matcher(out.toString());
        if (args.size() > 1 && args.get(0).equals("silence") && args.get(1).equals("add") && silence.find()) {
            lastSilence.set(silence.group());
        }
        if (args.get(0).equals("completion")) {
            assertThat(out.toString()).contains("complete", "feeds");
        }
        if (stdout != null) {
            Files.writeString(stdout, out.toString());
        }
        if (pipe >= 0) {
            return new Ran(command, null, "its output goes through a pipe");
        }
        return new Ran(command, asWritten((stdout == null ? out.toString() : "") + err), null);
    }

    /** How many words start Vigil in a command ({@code vigil}, {@code ./vigil}, {@code java -jar …vigil.jar}); 0 when it is not Vigil. */
    static int launcherWords(List<String> words) {
        if (!words.isEmpty() && (words.get(0).equals("vigil") || words.get(0).equals("./vigil"))) {
            return 1;
        }
        return words.size() >= 3 && words.get(0).equals("java") && words.get(1).equals("-jar") && words.get(2).endsWith("vigil.jar") ? 3 : 0;
    }

    /** Whether a doc line runs Vigil, after its comment and its {@code NAME=VALUE} prefixes. */
    static boolean isVigil(String text) {
        int hash = commentStart(text);
        List<String> words = words(hash >= 0 ? text.substring(0, hash) : text);
        int w = 0;
        while (w < words.size() && words.get(w).matches("[A-Z_]+=.*")) {
            w++;
        }
        return launcherWords(words.subList(w, words.size())) > 0;
    }

    static final AtomicReference<String> lastSilence = new AtomicReference<>("s-000000000000");

    static CommandLine cli(Map<String, String> env, StringWriter out, StringWriter err) {
        CommandLine cli = Vigil.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    /** The substitutions the class comment lists, on a command's arguments. */
    static List<String> rewrite(List<String> in) throws IOException {
        List<String> out = new ArrayList<>();
        boolean feedCheck = in.size() > 1 && in.get(0).equals("feeds") && (in.get(1).equals("add") || in.get(1).equals("check"));
        boolean rewroteFeedUrl = false;
        String originalFeedUrl = null;
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            String before = i > 0 ? in.get(i - 1) : "";
            if (before.equals("--bootstrap-servers")) {
                out.add(bootstrap);
            } else if (before.equals("--url")) {
                out.add(liveUrl);
            } else if (before.equals("--http-port")) {
                out.add(String.valueOf(freePort()));
            } else if (before.equals("--output") || before.equals("-o")) {
                out.add(absolute(a, work.resolve(a).toString()));
            } else if (SILENCE_ID.matcher(a).matches()) {
                out.add(lastSilence.get());
            } else if (URL.matcher(a).matches()) {
                if (feedCheck) {
                    rewroteFeedUrl = true;
                    originalFeedUrl = originalFeedUrl == null ? a : originalFeedUrl;
                }
                out.add(local(a));
            } else {
                out.add(inWork(a));
            }
        }
        if (feedCheck) {
            out.addAll(List.of("--allow", "127.0.0.1/32"));
            if (rewroteFeedUrl && in.get(1).equals("add") && !in.contains("--id")) {
                out.addAll(List.of("--id", FeedSpec.suggestId(null, URI.create(originalFeedUrl)).value()));
            }
        }
        return out;
    }

    /** A URL of the docs on the fixture server: {@code https://host/path} → {@code http://127.0.0.1:PORT/host/path}. */
    static String local(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return url;
        }
        return fixtureBase + "/" + m.group(1) + (m.group(2) == null ? "/" : m.group(2));
    }

    /** The absolute paths the harness gave the running command for the names its doc line wrote: undone in its output. */
    static final Map<String, String> givenPaths = new HashMap<>();

    private static String absolute(String written, String given) {
        givenPaths.put(given, written);
        return given;
    }

    /** Output as the reader would see it: each path the harness substituted back as the doc line wrote it, the longest first. */
    static String asWritten(String output) {
        String shown = output;
        List<String> given = new ArrayList<>(givenPaths.keySet());
        given.sort(java.util.Comparator.comparingInt(String::length).reversed());
        for (String g : given) {
            shown = shown.replace(g, givenPaths.get(g));
        }
        return shown;
    }

    /** An argument naming a file or folder of the work folder, as an absolute path. */
    static String inWork(String arg) {
        if (arg.startsWith("-") || arg.contains("://") || !(arg.contains("/") || arg.contains("."))) {
            // a command word (streams) is not the folder streams/
            return arg;
        }
        try {
            Path p = work.resolve(arg);
            return Files.exists(p) ? absolute(arg, p.toString()) : arg;
        } catch (java.nio.file.InvalidPathException e) {
            return arg;
        }
    }

    /** Where a comment starts: a {@code #} after a space, outside quotes; -1 for none. */
    static int commentStart(String text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** Shell words: split on blanks, quotes grouping and removed. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                w = w == null ? new StringBuilder() : w;
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
            } else {
                w = w == null ? new StringBuilder() : w;
                w.append(c);
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    static void awaitReady(int port, Thread command, StringWriter err) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Await.until(Duration.ofSeconds(120), "ready on port " + port, () -> {
            if (!command.isAlive()) {
                throw new AssertionError("the command ended before it was ready: " + err);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a folder, pointing every URL in its text files at the fixture server. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    Files.writeString(target, URL.matcher(text).replaceAll(m -> Matcher.quoteReplacement(local(m.group()))), StandardCharsets.UTF_8);
                }
            }
        }
    }
}

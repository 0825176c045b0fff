package dev.vigil.app.feeds;

import dev.vigil.app.KafkaCommand;
import dev.vigil.app.JsonLine;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.FeedStates;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedHealth;
import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil feeds list}: the catalogue with each feed's health. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the feeds of the catalogue with their health.",
                "Health comes from vigil.ingest.state: last success, failures in a row, next poll, share of polls answered",
                "304 Not Modified, and the last error. HEALTH is ok, pending (not polled yet),",
                "slowed (failed lately, backing off) or failing (3+ failures in a row, or never reached), with the reason."},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil feeds list --bootstrap-servers kafka:9092",
                "  vigil feeds list --json --bootstrap-servers kafka:9092 | jq -r 'select(.health != \"ok\") | .id'"})
final class FeedsList extends KafkaCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    @Option(names = "--json", description = "One JSON object per feed instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        KafkaConnection bootstrap = kafka.required(spec);
        PrintWriter out = spec.commandLine().getOut();
        Map<FeedId, FeedDefinition> feeds;
        try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, FeedsCommand.KAFKA_TIMEOUT)) {
            feeds = new LinkedHashMap<>(catalogue.feeds());
        }
        Map<FeedId, FeedState> states = FeedStates.read(bootstrap, FeedsCommand.KAFKA_TIMEOUT);
        if (!json) {
            out.printf(Locale.ROOT, "%-24s %-5s %-6s %-25s %-17s %5s %-17s %4s  %s%n", "ID", "LANG", "REGION", "HEALTH", "LAST SUCCESS", "FAILS",
                    "NEXT POLL", "304", "SOURCE  URL");
        }
        for (FeedDefinition f : feeds.values()) {
            FeedState s = states.get(f.id());
            if (json) {
                out.println(JsonLine.of(row(f, s)));
            } else {
                out.printf(Locale.ROOT, "%-24s %-5s %-6s %-25s %-17s %5s %-17s %4s  %s%s%n", f.id(), dash(f.language()), dash(f.region()), healthLabel(s),
                        s == null || s.lastSuccess() == null ? "never" : TIME.format(s.lastSuccess()), s == null ? "-" : s.consecutiveFailures(),
                        s == null ? "-" : TIME.format(s.nextPoll()), s == null || s.polls() == 0 ? "-" : Math.round(s.notModifiedShare() * 100) + "%",
                        f.source() == null ? "" : f.source() + "  ", f.url());
            }
        }
        if (!json) {
            FeedHealth.Summary counts = FeedHealth.Summary.count(feeds.keySet().stream().map(id -> FeedHealth.of(states.get(id))));
            out.printf("%d feeds: %s%n", feeds.size(), Stream.of(FeedHealth.OK, FeedHealth.SLOWED, FeedHealth.FAILING, FeedHealth.PENDING)
                    .map(h -> counts.count(h) + " " + h.wireName()).collect(Collectors.joining(", ")));
        }
        return 0;
    }

    private static Map<String, Object> row(FeedDefinition f, FeedState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id().value());
        m.put("url", f.url().toString());
        m.put("source", f.source());
        m.put("language", f.language());
        m.put("region", f.region());
        m.put("health", FeedHealth.of(s).wireName());
        m.put("reason", s == null || s.failureReason() == null ? null : s.failureReason().wireName());
        if (s != null) {
            m.put("lastSuccess", s.lastSuccess() == null ? null : s.lastSuccess().toString());
            m.put("consecutiveFailures", s.consecutiveFailures());
            m.put("nextPoll", s.nextPoll().toString());
            m.put("polls", s.polls());
            m.put("notModifiedShare", s.notModifiedShare());
            m.put("lastError", s.lastError());
        }
        return m;
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    /** "failing (timeout)": a feed's health with the reason it is not ok, if any. */
    private static String healthLabel(FeedState s) {
        FeedHealth h = FeedHealth.of(s);
        return s == null || h == FeedHealth.OK || s.failureReason() == null ? h.wireName() : h.wireName() + " (" + s.failureReason().wireName() + ")";
    }
}

package dev.vigil.app;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.streams.StreamsSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil run}: ingest, streams and alerts in one JVM, with an embedded broker by default. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run all of Vigil in one process: ingest, streams and alerts (and an embedded Kafka broker unless --bootstrap-servers is given).",
        footerHeading = "%nExample:%n",
        footer = "  vigil run --feeds feeds.yaml --rules rules.yaml --routing routing.yaml")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.Kafka kafka;

    @Mixin
    CommonOptions.Data data;

    @Mixin
    CommonOptions.Http http;

    @Mixin
    CommonOptions.Receivers receivers;

    @Mixin
    CommonOptions.Feeds feeds;

    @Mixin
    CommonOptions.Rules rules;

    @Mixin
    CommonOptions.StreamsTuning tuning;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port of the embedded broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Override
    public Integer call() throws Exception {
        var feedSpecs = feeds.load(spec, ": which feeds should Vigil watch? Try `vigil demo` for a bundled offline scenario.");
        var ruleSet = rules.load();
        var routing = receivers.routing(spec);
        var apiToken = receivers.apiToken(spec);
        try (VigilProcess process = new VigilProcess("all")) {
            String bootstrap = kafka.embedded()
                    ? process.startBroker(data.dataDir.resolve("kafka"), kafkaPort).bootstrapServers()
                    : kafka.bootstrapServers.strip();
            process.connect(bootstrap, http.bind, http.port);
            process.startStreams(StreamsSettings.of(bootstrap, data.dataDir.resolve("streams")).withOverrides(tuning.properties), ruleSet);
            process.startAlerts(AlertsSettings.of(bootstrap, routing).withApiToken(apiToken), System.out, a -> { });
            var ingest = process.startIngest(IngestSettings.of(bootstrap, feedSpecs));
            process.startStatusPage(bootstrap, ruleSet.alerting().thresholds(), ingest::feedStates);
            process.awaitShutdown();
        }
        return 0;
    }
}

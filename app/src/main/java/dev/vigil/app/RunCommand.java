package dev.vigil.app;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vigil run}: ingest, streams and alerts in one JVM, with an embedded broker by default. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run all of Vigil in one process: ingest, streams and alerts (and an embedded Kafka broker unless --bootstrap-servers is given).",
        footerHeading = "%nExample:%n",
        footer = "  vigil run --feeds feeds.yaml --rules rules.yaml --webhook https://hooks.example/vigil")
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

    @Option(names = "--feeds", paramLabel = "FILE", defaultValue = "${env:VIGIL_FEEDS}",
            description = "The feeds file (env VIGIL_FEEDS).")
    Path feeds;

    @Option(names = "--rules", paramLabel = "FILE", defaultValue = "${env:VIGIL_RULES}",
            description = "The rules file (env VIGIL_RULES; default: the bundled rule pack).")
    Path rules;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port of the embedded broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Override
    public Integer call() throws Exception {
        if (feeds == null) {
            throw new ParameterException(spec.commandLine(), "Missing --feeds FILE (or VIGIL_FEEDS): which feeds should Vigil watch? "
                    + "Try `vigil demo` for a bundled offline scenario.");
        }
        var feedSpecs = FeedsFile.load(feeds);
        RuleSet ruleSet = rules == null ? RulesLoader.loadDefault() : RulesLoader.load(rules);
        var webhooks = receivers.webhooks(spec);
        try (VigilProcess process = new VigilProcess("all")) {
            String bootstrap = kafka.embedded()
                    ? process.startBroker(data.dataDir.resolve("kafka"), kafkaPort).bootstrapServers()
                    : kafka.bootstrapServers.strip();
            TopicAdmin.ensureTopics(bootstrap);
            process.watchKafka(bootstrap);
            process.startOps(http.bind, http.port);
            process.startStreams(StreamsSettings.of(bootstrap, data.dataDir.resolve("streams")), ruleSet);
            process.startAlerts(AlertsSettings.of(bootstrap, webhooks).withConsole(!receivers.noConsole), System.out, a -> { });
            process.startIngest(IngestSettings.of(bootstrap, feedSpecs));
            process.awaitShutdown();
        }
        return 0;
    }
}

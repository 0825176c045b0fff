package dev.vigil.app;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.StreamsSettings;
import java.util.EnumSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil run}: ingest, streams and alerts in one JVM, with an embedded broker by default. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run all of Vigil in one process: ingest, streams and alerts (and an embedded Kafka broker unless --bootstrap-servers is given).",
                "Feeds come from the catalogue (vigil.feeds): a feeds file adds its feeds to it; without one, an empty catalogue gets the bundled",
                "list of world-news feeds in English and Spanish. Change feeds while it runs with `vigil feeds add|remove|import`."},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil run                                        # the bundled world-news feeds, embedded Kafka, status page on :8080",
                "  vigil run --config vigil.yaml",
                "  vigil run --feeds feeds.yaml --rules rules.yaml --routing routing.yaml"})
final class RunCommand extends KafkaCommand {
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

    @Mixin
    CommonOptions.Ids ids;

    @Option(names = "--kafka-port", paramLabel = "PORT",
            description = "Client port of the embedded broker (env VIGIL_KAFKA_PORT; vigil.yaml kafka.embedded-port; default: 9092).")
    Integer kafkaPort;

    @Override
    public Integer call() throws Exception {
        var feedsFile = feeds.load();
        var ruleSet = rules.load();
        var routing = receivers.routing(spec);
        var apiToken = receivers.apiToken(spec);
        int brokerPort = config.settings().kafkaPort(kafkaPort).value();
        try (VigilProcess process = new VigilProcess("all")) {
            // before anything starts: a second instance on this directory or these ports says so in one line and harms nothing
            process.add(DataDirLock.acquire(data.dir()));
            if (kafka.connection().isEmpty()) {
                DataDirLock.requireFreePort("the embedded Kafka broker's", "127.0.0.1", brokerPort, "--kafka-port (env VIGIL_KAFKA_PORT; vigil.yaml kafka.embedded-port)");
            }
            DataDirLock.requireFreePort("the HTTP", http.bind(), http.port(), "--http-port (env VIGIL_HTTP_PORT; vigil.yaml http.port)");
            KafkaConnection bootstrap = kafka.connectionOr(() -> process.startBroker(data.dir().resolve("kafka"), brokerPort).bootstrapServers());
            process.connect(bootstrap, kafka.createTopics(), EnumSet.allOf(ClusterAccess.Service.class), ids.prefix(), http.bind(), http.port());
            CatalogueSeed.atStart(bootstrap, feeds.file(), feedsFile);
            process.startStreams(StreamsSettings.of(bootstrap, data.dir().resolve("streams")).withApplicationId(ids.group(ClusterAccess.Service.STREAMS))
                    .withOverrides(tuning.properties()), ruleSet);
            process.startAlerts(AlertsSettings.of(bootstrap, routing).withGroupId(ids.group(ClusterAccess.Service.ALERTS)).withApiToken(apiToken), System.out, (r, a) -> { });
            IngestSettings ingestSettings = IngestSettings.catalogue(bootstrap);
            ingestSettings = ingestSettings.withGroup(ids.group(ClusterAccess.Service.INGEST), ingestSettings.sessionTimeout());
            var ingest = process.startIngest(feedsFile.map(ingestSettings::withFileSettings).orElse(ingestSettings));
            process.startStatusPage(bootstrap, ruleSet.alerting().thresholds(), ingest::feedStates);
            process.awaitShutdown();
        }
        return 0;
    }
}

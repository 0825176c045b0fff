package dev.vigil.app;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.StreamsSettings;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One service per process, against an existing Kafka cluster: run as many of each as needed. */
final class ServiceCommands {

    private ServiceCommands() {
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = {"Poll the feeds of the catalogue (vigil.feeds) and publish articles to vigil.articles.",
                    "Instances share the feeds through Kafka and follow the catalogue live: `vigil feeds add|remove` needs no restart."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil ingest --bootstrap-servers kafka:9092",
                    "  vigil ingest --bootstrap-servers kafka:9092 --feeds /etc/vigil/feeds.yaml --http-port 8081   # adds the file's feeds to the catalogue"})
    static final class Ingest extends KafkaCommand {
        @Mixin
        CommonOptions.Http http;

        @Mixin
        CommonOptions.Feeds feeds;

        @Mixin
        CommonOptions.Ids ids;

        @Override
        public Integer call() throws Exception {
            KafkaConnection bootstrap = kafka.required(spec);
            var feedsFile = feeds.load();
            try (VigilProcess process = new VigilProcess("ingest")) {
                process.connect(bootstrap, kafka.createTopics(), List.of(ClusterAccess.Service.INGEST), ids.prefix(), http.bind(), http.port());
                CatalogueSeed.atStart(bootstrap, feeds.file(), feedsFile);
                IngestSettings settings = IngestSettings.catalogue(bootstrap);
                settings = settings.withGroup(ids.group(ClusterAccess.Service.INGEST), settings.sessionTimeout());
                process.startIngest(feedsFile.map(settings::withFileSettings).orElse(settings));
                process.awaitShutdown();
            }
            return 0;
        }
    }

    @Command(name = "streams", mixinStandardHelpOptions = true,
            description = "Tag articles with the rules, score topics and decide alerts (Kafka Streams, exactly once).",
            footerHeading = "%nExample:%n",
            footer = "  vigil streams --bootstrap-servers kafka:9092 --rules /etc/vigil/rules.yaml")
    static final class Streams extends KafkaCommand {
        @Mixin
        CommonOptions.Data data;

        @Mixin
        CommonOptions.Http http;

        @Mixin
        CommonOptions.Rules rules;

        @Mixin
        CommonOptions.StreamsTuning tuning;

        @Mixin
        CommonOptions.Ids ids;

        @Override
        public Integer call() throws Exception {
            KafkaConnection bootstrap = kafka.required(spec);
            var ruleSet = rules.load();
            try (VigilProcess process = new VigilProcess("streams")) {
                process.connect(bootstrap, kafka.createTopics(), List.of(ClusterAccess.Service.STREAMS), ids.prefix(), http.bind(), http.port());
                process.startStreams(StreamsSettings.of(bootstrap, data.dir().resolve("streams")).withApplicationId(ids.group(ClusterAccess.Service.STREAMS))
                        .withOverrides(tuning.properties()), ruleSet);
                process.awaitShutdown();
            }
            return 0;
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true,
            description = {"Deliver alerts from vigil.alerts to the receivers of the routing file, at least once.",
                    "Receivers: webhooks, Slack, e-mail, log and the console. Serves /api/alerts, /api/alerts/stream and /api/silences next to /metrics."},
            footerHeading = "%nExample:%n",
            footer = "  vigil alerts --bootstrap-servers kafka:9092 --routing /etc/vigil/routing.yaml --api-token-file /run/secrets/vigil-api-token")
    static final class Alerts extends KafkaCommand {
        @Mixin
        CommonOptions.Http http;

        @Mixin
        CommonOptions.Receivers receivers;

        @Mixin
        CommonOptions.Ids ids;

        @Option(names = "--instance-id", paramLabel = "NAME",
                description = "A stable name for this instance in the consumer group (env VIGIL_INSTANCE_ID; vigil.yaml instance-id; e.g. the pod name), "
                        + "so after a restart it takes its partitions back at once rather than after the session timeout.")
        String instanceId;

        @Override
        public Integer call() throws Exception {
            KafkaConnection bootstrap = kafka.required(spec);
            AlertsSettings settings;
            try {
                settings = AlertsSettings.of(bootstrap, receivers.routing(spec)).withGroupId(ids.group(ClusterAccess.Service.ALERTS)).withApiToken(receivers.apiToken(spec)).withInstanceId(config.settings().instanceId(instanceId).map(s -> s.value()).orElse(null));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (VigilProcess process = new VigilProcess("alerts")) {
                process.connect(bootstrap, kafka.createTopics(), List.of(ClusterAccess.Service.ALERTS), ids.prefix(), http.bind(), http.port());
                process.startAlerts(settings, System.out, (r, a) -> { });
                process.awaitShutdown();
            }
            return 0;
        }
    }
}

package dev.vigil.app.feeds;

import dev.vigil.app.KafkaCommand;
import dev.vigil.app.Vigil;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.model.FeedId;
import dev.vigil.model.kafka.KafkaConnection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil feeds remove ID...}. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Remove feeds from the catalogue.",
                "Ingest stops polling them within seconds. What they published stays; a feed added back later resumes from its",
                "saved state and publishes nothing twice."},
        footerHeading = "%nExample:%n",
        footer = {"  vigil feeds remove guardian-americas --bootstrap-servers kafka:9092",
                "%nExit codes: 0 removed; 1 a feed named is not in the catalogue (the others are removed)."})
final class FeedsRemove extends KafkaCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Feed ids, as `vigil feeds list` shows them.")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() {
        KafkaConnection bootstrap = kafka.required(spec);
        List<FeedId> feeds = new ArrayList<>();
        for (String raw : ids) {
            try {
                feeds.add(new FeedId(raw));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        int missing = 0;
        try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, FeedsCommand.KAFKA_TIMEOUT)) {
            for (FeedId id : feeds) {
                if (catalogue.remove(id)) {
                    spec.commandLine().getOut().println("removed " + id);
                } else {
                    missing++;
                    spec.commandLine().getErr().println("vigil feeds remove: no feed '" + id + "' in the catalogue");
                }
            }
        }
        return missing == 0 ? 0 : Vigil.EXIT_FAILED;
    }
}

package dev.vigil.app.feeds;

import dev.vigil.app.KafkaCommand;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.ingest.OpmlFile;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil feeds import FILE.opml}. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Add the feeds of an OPML subscription list to the catalogue.",
                "OPML is what Feedly, Miniflux, FreshRSS, Inoreader or NetNewsWire export. Folders are flattened; a feed whose",
                "address is already in the catalogue is left as it is.",
                "Feeds are not fetched first: `vigil feeds list` shows how each one does once ingest polls it."},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil feeds import subscriptions.opml --bootstrap-servers kafka:9092",
                "  vigil feeds import subscriptions.opml --dry-run      # what would be added; needs no Kafka",
                "%nExit codes: 0 imported; 2 the file is not OPML or an outline is invalid (file:line: outline: reason); nothing is written then."})
final class FeedsImport extends KafkaCommand {
    @Parameters(paramLabel = "FILE.opml", description = "An OPML 1.0 or 2.0 file.")
    Path file;

    @Option(names = "--dry-run", description = "Print the feeds the file holds (and, with Kafka, which are new) without writing anything.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OpmlFile.Imported imported = OpmlFile.read(file);
        imported.notes().forEach(n -> err.println("vigil feeds import: " + n));
        if (dryRun && kafka.embedded()) {
            imported.feeds().forEach(f -> out.printf("%-32s %-5s %s%n", f.id(), f.language() == null ? "-" : f.language(), f.url()));
            out.printf("%d feeds in %s (dry run: nothing written)%n", imported.feeds().size(), file);
            return 0;
        }
        Instant now = Instant.now();
        try (FeedCatalogue catalogue = FeedCatalogue.open(kafka.required(spec), FeedsCommand.KAFKA_TIMEOUT)) {
            Map<URI, FeedId> known = catalogue.feeds().values().stream().collect(Collectors.toMap(FeedDefinition::url, FeedDefinition::id, (a, b) -> a));
            List<FeedDefinition> fresh = new ArrayList<>();
            int already = 0;
            for (FeedSpec f : imported.feeds()) {
                if (known.containsKey(f.url())) {
                    already++;
                    continue;
                }
                FeedSpec free = freeId(f, id -> catalogue.get(id).isPresent() || fresh.stream().anyMatch(d -> d.id().equals(id)));
                fresh.add(free.toDefinition("opml", now));
            }
            fresh.forEach(f -> out.printf("%s %-32s %s%n", dryRun ? "would add" : "added", f.id(), f.url()));
            if (!dryRun) {
                catalogue.seed(fresh);
            }
            out.printf("%s %d feeds from %s (%d already in the catalogue, %d passed over)%n", dryRun ? "would import" : "imported", fresh.size(), file,
                    already, imported.notes().size());
        }
        return 0;
    }

    private static FeedSpec freeId(FeedSpec f, Predicate<FeedId> taken) {
        FeedId id = f.id();
        for (int n = 2; taken.test(id); n++) {
            String suffix = "-" + n;
            id = new FeedId(f.id().value().substring(0, Math.min(f.id().value().length(), 64 - suffix.length())) + suffix);
        }
        return new FeedSpec(id, f.url(), f.source(), f.language(), f.region(), f.interval(), f.minInterval(), f.maxInterval());
    }
}

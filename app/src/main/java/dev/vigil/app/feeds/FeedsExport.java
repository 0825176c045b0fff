package dev.vigil.app.feeds;

import dev.vigil.app.KafkaCommand;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.OpmlFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil feeds export}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the catalogue as an OPML 2.0 subscription list.",
                "One folder per language, for any feed reader to import.",
                "Vigil's own settings (id, region, intervals) ride along in vigil-* attributes, so `vigil feeds import` restores them."},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil feeds export --bootstrap-servers kafka:9092 > vigil-feeds.opml",
                "  vigil feeds export --output vigil-feeds.opml --bootstrap-servers kafka:9092"})
final class FeedsExport extends KafkaCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        String opml;
        int count;
        try (FeedCatalogue catalogue = FeedCatalogue.open(kafka.required(spec), FeedsCommand.KAFKA_TIMEOUT)) {
            count = catalogue.feeds().size();
            opml = OpmlFile.write(List.copyOf(catalogue.feeds().values()), "Vigil feeds", Instant.now());
        }
        if (output == null) {
            spec.commandLine().getOut().print(opml);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(output, opml, StandardCharsets.UTF_8);
            spec.commandLine().getErr().printf("vigil feeds export: %d feeds written to %s%n", count, output);
        }
        return 0;
    }
}

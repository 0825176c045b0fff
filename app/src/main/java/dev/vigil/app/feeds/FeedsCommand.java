package dev.vigil.app.feeds;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vigil feeds ...}: the feed catalogue (the compacted topic vigil.feeds) that every ingest
 * instance follows live, and feed checks that need no pipeline. {@code vigil feed} is the same.
 * Only the wiring is here; each subcommand is its own class in this package.
 */
@Command(name = "feeds", aliases = "feed", mixinStandardHelpOptions = true,
        description = {"Manage the feeds Vigil watches, live, and check feeds.",
                "The catalogue (the Kafka topic vigil.feeds) is followed by every ingest instance, so a feed added or removed here",
                "is polled or dropped within seconds, without a restart."},
        subcommands = {FeedsAdd.class, FeedsRemove.class, FeedsList.class, FeedsCheck.class,
                FeedsImport.class, FeedsExport.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil feeds list --bootstrap-servers kafka:9092",
                "  vigil feeds add https://www.theguardian.com/world/americas/rss --language en --region gb --bootstrap-servers kafka:9092",
                "  vigil feeds check https://feeds.bbci.co.uk/news/world/rss.xml saved/*.xml"})
public final class FeedsCommand implements Runnable {

    /** How long a subcommand waits for the catalogue or the feed states on Kafka. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: add, remove, list, check, import or export");
    }
}

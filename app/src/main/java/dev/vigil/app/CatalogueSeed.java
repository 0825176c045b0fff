package dev.vigil.app;

import dev.vigil.app.config.Settings;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code vigil run} and {@code vigil ingest} do to the feed catalogue before ingest starts:
 * a feeds file given at start adds or updates its feeds (and removes none: feeds added with
 * {@code vigil feeds add} stay); without one, an empty catalogue gets the bundled world-news list.
 */
final class CatalogueSeed {

    private static final Logger log = LoggerFactory.getLogger(CatalogueSeed.class);

    private CatalogueSeed() {
    }

    static void atStart(KafkaConnection bootstrap, Optional<Settings.Setting<Path>> fileSetting, Optional<FeedsFile.Loaded> file) {
        Instant now = Instant.now();
        Topic<FeedId, FeedDefinition> topic = bootstrap.topic(Topics.FEEDS);
        try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, Duration.ofSeconds(30))) {
            if (file.isPresent()) {
                Path path = fileSetting.orElseThrow().value();
                String origin = "file:" + path.getFileName();
                List<FeedDefinition> wanted = file.get().feeds().stream().map(f -> f.toDefinition(origin, now)).toList();
                List<FeedDefinition> written = catalogue.seed(wanted);
                Set<FeedId> inFile = wanted.stream().map(FeedDefinition::id).collect(Collectors.toSet());
                List<FeedId> others = catalogue.feeds().keySet().stream().filter(id -> !inFile.contains(id)).toList();
                log.info("feeds: {} ({}) lists {} feeds: {} written to {}, the rest were there as they are; {} feeds in the catalogue{}", path,
                        fileSetting.get().from(), wanted.size(), written.size(), topic, catalogue.feeds().size(),
                        others.isEmpty() ? "" : " (" + others.size() + " not in the file, e.g. " + others.get(0) + ": `vigil feeds remove ID` removes one)");
            } else if (catalogue.feeds().isEmpty()) {
                FeedsFile.Loaded bundled = FeedsFile.loadBundled();
                catalogue.seed(bundled.feeds().stream().map(f -> f.toDefinition("bundled", now)).toList());
                log.info("feeds: the catalogue {} was empty: it now holds the bundled list of {} world-news feeds ({}); manage it with `vigil feeds add|remove|list`",
                        topic, bundled.feeds().size(), bundled.feeds().stream().map(FeedSpec::language).distinct().sorted().collect(Collectors.joining(", ")));
            } else {
                log.info("feeds: {} feeds in the catalogue {}", catalogue.feeds().size(), topic);
            }
        }
    }
}

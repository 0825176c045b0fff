package dev.vigil.alerts;

import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.model.Alert;
import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sends the alerts it matches to some receivers. An empty {@code topics} or {@code levels} set
 * matches any; a route with both empty matches every alert.
 *
 * @param topics    watched topics to match, or empty for any
 * @param levels    new levels to match (normal = resolved), or empty for any
 * @param receivers where matching alerts go
 */
public record Route(Set<TopicName> topics, Set<Level> levels, List<ReceiverName> receivers) {

    public Route {
        topics = Set.copyOf(topics);
        levels = Set.copyOf(levels);
        receivers = List.copyOf(receivers);
        if (receivers.isEmpty()) {
            throw new IllegalArgumentException("receivers: expected at least one receiver");
        }
    }

    /** A route for every alert. */
    public static Route all(List<ReceiverName> receivers) {
        return new Route(Set.of(), Set.of(), receivers);
    }

    public boolean matches(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        return (topics.isEmpty() || topics.contains(alert.data().topic())) && (levels.isEmpty() || levels.contains(alert.data().level()));
    }
}

package dev.vigil.alerts.silence;

import dev.vigil.model.Level;
import dev.vigil.model.Silence;
import dev.vigil.model.TopicName;
import java.time.Instant;
import java.util.Optional;

/** Looks up the silence, if any, that applies to an alert now. */
@FunctionalInterface
public interface Silences {

    /** None: nothing is silenced. */
    Silences NONE = (topic, level, now) -> Optional.empty();

    Optional<Silence> matching(TopicName topic, Level level, Instant now);
}

package dev.vigil.streams.scoring;

import dev.vigil.model.Alert;
import dev.vigil.model.TopicScore;

/** What the escalation step emits: a new score, or a change of level. */
public sealed interface Decision {

    /** A topic's score after a hit or after its window slid. */
    record ScoreUpdate(TopicScore score) implements Decision {
    }

    /** A topic's level changed; exactly one per change. */
    record LevelChange(Alert alert) implements Decision {
    }
}

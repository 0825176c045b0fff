package dev.vigil.alerts.receiver;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.LogText;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one line per alert to the logger {@code vigil.alerts.log}, for log pipelines that alert on their own. */
public final class LogChannel implements Channel {

    private static final Logger log = LoggerFactory.getLogger("vigil.alerts.log");

    private final ReceiverName name;

    public LogChannel(ReceiverName name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public ReceiverName name() {
        return name;
    }

    @Override
    public Delivery.Channel kind() {
        return Delivery.Channel.LOG;
    }

    @Override
    public void deliver(Alert alert) {
        String top = alert.data().stories().isEmpty() ? "" : " | top story: " + AlertText.oneLine(alert.data().stories().get(0).title());
        log.info("ALERT {} | id {}{}", LogText.of(AlertText.headline(alert)), LogText.of(alert.id()), LogText.of(top));
    }
}

package dev.vigil.alerts.receiver;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import java.io.PrintStream;
import java.util.Objects;

/** Prints each alert as a readable block. */
public final class ConsoleChannel implements Channel {

    private final ReceiverName name;
    private final PrintStream out;

    public ConsoleChannel(ReceiverName name, PrintStream out) {
        this.name = Objects.requireNonNull(name, "name");
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public ReceiverName name() {
        return name;
    }

    @Override
    public Delivery.Channel kind() {
        return Delivery.Channel.CONSOLE;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException {
        out.println(AlertText.render(alert));
        out.flush();
        if (out.checkError()) {
            throw new DeliveryException(Failure.RETRYABLE, "the console stream reported an error");
        }
    }
}

package dev.vigil.alerts;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import java.io.PrintStream;
import java.util.Objects;

/** Prints each alert as a readable block. */
public final class ConsoleChannel implements Channel {

    private final PrintStream out;

    public ConsoleChannel(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public String name() {
        return "console";
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
            throw new DeliveryException(true, "the console stream reported an error");
        }
    }
}

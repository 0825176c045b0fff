package dev.vigil.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Named readiness checks; the process is ready when all of them pass. */
public final class Health {

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    public synchronized void add(String name, BooleanSupplier check) {
        checks.put(name, check);
    }

    /** Each check's result, in the order they were added. */
    public synchronized Map<String, Boolean> check() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            out.put(name, ok);
        });
        return out;
    }
}

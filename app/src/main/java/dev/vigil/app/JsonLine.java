package dev.vigil.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.model.Json;
import java.util.Map;

/**
 * One JSON object on one line, for the commands that print a line per item built as a map
 * ({@code vigil extract}, {@code vigil feeds check}, {@code vigil feeds list --json}).
 */
public final class JsonLine {

    private JsonLine() {
    }

    public static String of(Map<String, Object> line) {
        try {
            return Json.mapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }
}

package dev.vigil.bench;

import java.util.Objects;

/** One article the benchmarks tag: a headline and a body of 3 to 8 KB. */
public record BenchArticle(String id, String title, String body) {

    public BenchArticle {
        Objects.requireNonNull(id, "id");
        title = Objects.requireNonNullElse(title, "");
        body = Objects.requireNonNullElse(body, "");
    }
}

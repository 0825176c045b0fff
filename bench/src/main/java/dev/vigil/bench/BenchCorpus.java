package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Real news articles of 3 to 8 KB from the shared corpora: the pages of
 * {@code extraction-dev/} (scrapinghub's article-extraction benchmark, MIT), bodies over 8 KB cut
 * at the last sentence end before 8 KB, and the seed story. They are read where they lie, never
 * copied into the repository. The headline is made from the URL's slug, as the pages carry none.
 */
public final class BenchCorpus {

    static final int MIN_BYTES = 3 * 1024;
    static final int MAX_BYTES = 8 * 1024;

    private BenchCorpus() {
    }

    /** {@code -Dvigil.corpora=DIR}, else {@code ../shared/corpora} from the working directory or one of its parents. */
    public static Path location() {
        String property = System.getProperty("vigil.corpora");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("corpora");
            if (Files.isDirectory(candidate.resolve("extraction-dev"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("the shared corpora are not found: pass -Dvigil.corpora=DIR (the folder holding extraction-dev/)");
    }

    public static boolean available() {
        try {
            location();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The articles, in a stable order. */
    public static List<BenchArticle> load() {
        return load(location());
    }

    static List<BenchArticle> load(Path corpora) {
        List<BenchArticle> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpora.resolve("extraction-dev"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode page = Json.mapper().readTree(file.toFile());
                String body = page.path("articleBody").asText("");
                if (body.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
                    continue;
                }
                out.add(new BenchArticle(page.path("id").asText(), headline(page.path("url").asText("")), cut(body)));
            }
            Path seed = corpora.resolveSibling("samples").resolve("seed-article.txt");
            if (Files.exists(seed)) {
                out.add(new BenchArticle("seed", "US to designate Cartel de los Soles a foreign terrorist organization",
                        Files.readString(seed, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpora in " + corpora, e);
        }
        return List.copyOf(out);
    }

    /** The text up to the last sentence end within {@link #MAX_BYTES}. */
    static String cut(String body) {
        if (body.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return body;
        }
        int end = Math.min(body.length(), MAX_BYTES);
        while (end > 0 && body.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            end--;
        }
        int sentence = body.lastIndexOf(". ", end);
        return body.substring(0, sentence > MIN_BYTES ? sentence + 1 : end);
    }

    /** "https://x.example/2019/11/19/opinion/republicans-elections-impeachment.html" becomes "Republicans elections impeachment". */
    static String headline(String url) {
        String path = url.replaceAll("[?#].*$", "").replaceAll("/+$", "");
        String slug = path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.[a-z]+$", "");
        String words = slug.replaceAll("[-_]+", " ").replaceAll("\\b\\d+\\b", " ").replaceAll("\\s+", " ").strip();
        return words.isEmpty() ? "" : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}

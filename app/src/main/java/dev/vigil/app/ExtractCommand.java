package dev.vigil.app;

import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.ingest.extract.ExtractionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil extract FILE...}: article extraction on saved pages, as ingest does it. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Extract the article from saved HTML pages, as ingest would.",
                "Prints one JSON line per file:",
                "  {\"file\",\"title\",\"text\",\"published\",\"language\"} or {\"file\",\"reason\",\"error\"}, where reason is",
                "  no-article (no running text), too-short (less than an article) or refused (not a web page, or too large);",
                "  a file that cannot be read has an error and no reason.",
                "On a terminal, progress is shown on standard error. Exit 0 when every file yielded an article, 2 otherwise."},
        footerHeading = "%nExample:%n",
        footer = "  vigil extract page.html saved/*.html")
final class ExtractCommand implements Callable<Integer> {

    static final long MAX_BYTES = 5L << 20;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Saved HTML pages.")
    List<String> files = new ArrayList<>();

    @Option(names = "--base-url", paramLabel = "URL", defaultValue = "http://localhost/",
            description = "Address to resolve the pages' relative links against (default: ${DEFAULT-VALUE}).")
    String baseUrl;

    @Override
    public Integer call() {
        ArticleExtractor extractor = new ArticleExtractor();
        boolean allOk = true;
        try (Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "extracting", files.size())) {
            for (String file : files) {
                progress.step(file);
                allOk &= extract(extractor, file);
            }
        }
        return allOk ? 0 : Vigil.EXIT_INVALID;
    }

    private boolean extract(ArticleExtractor extractor, String file) {
        boolean ok = true;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("file", file);
        try {
            Path path = Path.of(file);
            if (Files.size(path) > MAX_BYTES) {
                throw new ExtractionException(ExtractionException.Reason.REFUSED, "not read: larger than " + MAX_BYTES + " bytes");
            }
            ArticleExtractor.Extracted x = extractor.extract(Files.readAllBytes(path), Optional.empty(), baseUrl);
            line.put("title", x.title());
            line.put("text", x.text());
            line.put("published", x.published().map(Object::toString).orElse(null));
            line.put("language", x.language().orElse(null));
        } catch (ExtractionException e) {
            ok = false;
            line.put("reason", e.reason().wireName());
            line.put("error", file + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            ok = false;
            line.put("error", file + ": no such file");
        } catch (IOException | InvalidPathException e) {
            ok = false;
            line.put("error", file + ": cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            ok = false;
            line.put("error", file + ": internal error: " + e);
        }
        spec.commandLine().getOut().println(JsonLine.of(line));
        spec.commandLine().getOut().flush();
        return ok;
    }
}

package dev.vigil.ingest.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The two extraction corpora under {@code vigil.corpora}, read in place (their licences keep them
 * out of the repository): {@code extraction-dev} (the Scrapinghub benchmark's development half,
 * dataset "scrapinghub") and {@code extraction-more} (pages of five public benchmarks, each
 * page's dataset in its JSON).
 */
final class ExtractionCorpus {

    static final String DEV = "extraction-dev";
    static final String MORE = "extraction-more";

    /** One page: the truth body and the stored bytes (UTF-8: both corpora store pages decoded). */
    record Page(String corpus, String id, String dataset, String url, String truth, Path html) {
        byte[] bytes() throws IOException {
            return Files.readAllBytes(html);
        }
    }

    private ExtractionCorpus() {
    }

    static Path root() {
        return Path.of(System.getProperty("vigil.corpora", "../shared/corpora"));
    }

    /** The pages of one corpus, by id; empty where the corpus is absent. */
    static List<Page> pages(String corpus) throws IOException {
        Path dir = root().resolve(corpus);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> htmls;
        try (Stream<Path> s = Files.list(dir)) {
            htmls = s.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        }
        ObjectMapper json = new ObjectMapper();
        List<Page> out = new ArrayList<>();
        for (Path html : htmls) {
            String id = html.getFileName().toString().replace(".html", "");
            JsonNode truth = json.readTree(dir.resolve(id + ".json").toFile());
            String dataset = corpus.equals(DEV) ? "scrapinghub" : truth.path("dataset").asText("unknown");
            out.add(new Page(corpus, id, dataset, truth.path("url").asText("http://example.invalid/"), truth.path("articleBody").asText(""), html));
        }
        return out;
    }

    /**
     * The body extracted as {@code vigil extract} would, with no transport charset: the stored
     * bytes are UTF-8 while 143 pages still carry their original Latin-1 {@code <meta>}, so this
     * also exercises the extractor's charset rule. "" where no article was found.
     */
    static String extract(ArticleExtractor extractor, Page page) throws IOException {
        try {
            return extractor.extract(page.bytes(), Optional.empty(), page.url()).text();
        } catch (ExtractionException e) {
            return "";
        }
    }
}

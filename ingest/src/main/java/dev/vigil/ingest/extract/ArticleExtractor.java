package dev.vigil.ingest.extract;

import dev.vigil.ingest.fetch.ContentType;
import dev.vigil.ingest.fetch.WebCharset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Extracts an article from a news page with Jsoup: title, body text, published time, author,
 * language and canonical URL. Metadata comes from JSON-LD, OpenGraph and meta tags where
 * present ({@link PageMetadata}); the body from the block of the page that scores highest as
 * running text ({@link BodyFinder}). The body is the article's paragraphs, subheadings, lists and
 * tables; not the headline (the title), captions, bylines, navigation, related links or readers'
 * comments. Quality is measured on public extraction benchmarks (see BENCHMARKS.md) and guarded by
 * {@code ExtractionQualityTest}. A page that yields no article says why
 * ({@link ExtractionException.Reason}). Thread-safe.
 */
public final class ArticleExtractor {

    /** Less text than this is not an article body (a paywall stub, a gallery, an error page). */
    static final int MIN_TEXT_CHARS = 200;

    /**
     * What a page yielded.
     *
     * @param canonicalUrl the page's own canonical URL ({@code <link rel=canonical>}, else og:url)
     */
    public record Extracted(String title, String text, Optional<Instant> published, Optional<String> language,
                            Optional<String> author, Optional<String> canonicalUrl) {
    }

    /**
     * Extracts from raw bytes; the charset comes from a byte-order mark, else the HTTP
     * Content-Type (a label the JVM knows), else the page's {@code <meta charset>}, else UTF-8
     * (Jsoup's detection).
     */
    public Extracted extract(byte[] html, Optional<String> contentType, String baseUri) throws ExtractionException {
        refuseWhatIsNotAPage(html, contentType);
        // a label the JVM does not know ("latin-1", "utf8mb4") counts as none, as it does for feeds (Decoded): the
        // page's bytes and <meta> decide
        String charset = ContentType.charsetOf(contentType).filter(ArticleExtractor::isKnownCharset).orElse(null);
        if ((charset == null || WebCharset.isWindows1252(charset)) && isUtf8WithNonAscii(html)) {
            // bytes that are valid UTF-8 beyond ASCII are UTF-8, whatever a Latin-1 label says: no Latin-1 text of
            // any length forms valid UTF-8 sequences by chance, while pages saved or served as UTF-8 under an old
            // "iso-8859-1" <meta> are common (143 of the 805 corpus pages)
            charset = "UTF-8";
        }
        Document doc;
        try {
            doc = parse(html, charset, baseUri);
        } catch (IOException | java.nio.charset.IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
            try {
                doc = parse(html, null, baseUri);   // an unknown charset label: let Jsoup detect
            } catch (IOException e2) {
                throw new ExtractionException(ExtractionException.Reason.REFUSED, "cannot read the page: " + e2.getMessage());
            }
        }
        String decodedAs = charset;
        Document parsed = doc;
        return extract(doc, () -> {
            try {
                return parse(html, decodedAs, baseUri);
            } catch (IOException | java.nio.charset.IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
                return parsed.clone();    // it parsed once; if a second parse fails, a copy of the first will do
            }
        });
    }

    /**
     * A body that is no web page is refused before it is parsed: a content type that is neither
     * HTML, XML nor text, a PDF, or binary bytes (a NUL among the first ones, where no UTF-16
     * byte-order mark explains it).
     */
    private static void refuseWhatIsNotAPage(byte[] body, Optional<String> contentType) throws ExtractionException {
        String type = contentType.map(t -> ContentType.parse(t).mediaType()).orElse("");
        if (!type.isEmpty() && !type.startsWith("text/") && !type.contains("html") && !type.contains("xml")) {
            throw new ExtractionException(ExtractionException.Reason.REFUSED, "not a web page (content type " + type + ")");
        }
        if (body.length >= 4 && body[0] == '%' && body[1] == 'P' && body[2] == 'D' && body[3] == 'F') {
            throw new ExtractionException(ExtractionException.Reason.REFUSED, "not a web page (a PDF document)");
        }
        boolean utf16 = body.length >= 2 && (body[0] == (byte) 0xFE && body[1] == (byte) 0xFF || body[0] == (byte) 0xFF && body[1] == (byte) 0xFE);
        for (int i = 0; i < Math.min(body.length, 1024) && !utf16; i++) {
            if (body[i] == 0) {
                throw new ExtractionException(ExtractionException.Reason.REFUSED, "not a web page (binary content)");
            }
        }
    }

    private static boolean isKnownCharset(String label) {
        try {
            return Charset.isSupported(label);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /** Strictly valid UTF-8 (no overlong forms, no surrogates) holding at least one multi-byte character. */
    static boolean isUtf8WithNonAscii(byte[] b) {
        boolean multi = false;
        int i = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                if (i + k >= b.length || (b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
                cp = cp << 6 | b[i + k] & 0x3F;
            }
            if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                return false;
            }
            multi = true;
            i += n + 1;
        }
        return multi;
    }

    private static Document parse(byte[] html, String charset, String baseUri) throws IOException {
        return Jsoup.parse(new ByteArrayInputStream(html), charset, baseUri);
    }

    /** Extracts from text already decoded. */
    public Extracted extract(String html, String baseUri) throws ExtractionException {
        return extract(Jsoup.parse(html, baseUri), () -> Jsoup.parse(html, baseUri));
    }

    /** Extracts from a parsed page; the document is modified (boilerplate removed). */
    public Extracted extract(Document doc) throws ExtractionException {
        Document pristine = doc.clone();
        return extract(doc, pristine::clone);
    }

    private Extracted extract(Document doc, Supplier<Document> again) throws ExtractionException {
        MarkupRepair.closeRunawayTitle(doc);
        PageMetadata meta = PageMetadata.of(doc);
        String text = BodyFinder.text(doc, again);
        if (text.isEmpty()) {
            throw new ExtractionException(ExtractionException.Reason.NO_ARTICLE, "no article text found (no running text on the page)");
        }
        if (text.length() < MIN_TEXT_CHARS) {
            throw new ExtractionException(ExtractionException.Reason.TOO_SHORT, "too little article text (" + text.length()
                    + " characters of running text, an article has at least " + MIN_TEXT_CHARS + ")");
        }
        return new Extracted(meta.title(), text, meta.published(), meta.language(), meta.author(), meta.canonicalUrl());
    }
}

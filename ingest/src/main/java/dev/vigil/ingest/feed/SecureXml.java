package dev.vigil.ingest.feed;

import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SAXBuilder;
import com.rometools.rome.io.WireFeedInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Locale;
import org.jdom2.Document;
import org.jdom2.JDOMException;
import org.jdom2.located.LocatedJDOMFactory;
import org.xml.sax.InputSource;

/**
 * The one way ingest reads XML, for feeds ({@link FeedParser}) and OPML subscription lists
 * ({@code OpmlFile}): Rome's parser with doctypes refused ({@code setAllowDoctypes(false)}, so
 * Rome sets {@code disallow-doctype-decl} on the SAX parser). A document with a DOCTYPE is
 * refused before any declaration in it is read: no external entity or DTD is fetched from a file
 * or the network, and no entity-expansion bomb ("billion laughs") is expanded. Then
 * {@link #wireFeed} tells which of Rome's formats the parsed document is. Thread-safe.
 *
 * <pre>{@code
 * Document document = SecureXml.parse(new StringReader(text));
 * WireFeed feed = SecureXml.wireFeed(document);
 * }</pre>
 */
public final class SecureXml {

    /** What {@link Unreadable#getMessage()} says of a document with a DOCTYPE. */
    public static final String DOCTYPE_REFUSED = "refused: the document has a DOCTYPE (entities are never expanded or fetched)";

    /** Rome's input, shared: its settings never change after construction, and it makes a new SAX builder per document. */
    private static final Input ROME = new Input();

    /** A document that was not read; the message says why, for people ({@link #DOCTYPE_REFUSED}, "not well-formed XML: …"). */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SecureXml() {
    }

    /** Parses text already decoded (a feed, after {@link Decoded}). */
    public static Document parse(Reader xml) throws Unreadable {
        return parse(new InputSource(xml), false);
    }

    /**
     * Parses bytes (their encoding from the XML declaration), keeping the line of each element
     * ({@link org.jdom2.located.Located}), for a file whose problems name lines.
     */
    public static Document parseWithLines(InputStream xml) throws Unreadable {
        return parse(new InputSource(xml), true);
    }

    private static Document parse(InputSource source, boolean withLines) throws Unreadable {
        SAXBuilder builder = ROME.saxBuilder();
        if (withLines) {
            builder.setJDOMFactory(new LocatedJDOMFactory());
        }
        try {
            return builder.build(source);
        } catch (JDOMException e) {
            String why = FeedParser.firstLine(e.getMessage());
            throw new Unreadable(why.contains("DOCTYPE") ? DOCTYPE_REFUSED : "not well-formed XML: " + why, e);
        } catch (IOException e) {
            throw new Unreadable("cannot read: " + FeedParser.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            // JDOM refuses some things SAX let through, such as a namespace URI starting with a space
            throw new Unreadable("not well-formed XML: " + FeedParser.firstLine(e.getMessage()), e);
        }
    }

    /**
     * Rome's reading of a parsed document: an RSS channel, an Atom feed or an OPML list; throws
     * {@link IllegalArgumentException} when it is none Rome knows and {@link FeedException} when
     * it is one, but invalid.
     */
    public static WireFeed wireFeed(Document document) throws FeedException {
        return ROME.build(document);
    }

    /** Rome's input with doctypes refused, exposing the secure SAX builder it configures. */
    private static final class Input extends WireFeedInput {
        Input() {
            super(false, Locale.US);
            setAllowDoctypes(false);
        }

        SAXBuilder saxBuilder() {
            return createSAXBuilder();
        }
    }
}

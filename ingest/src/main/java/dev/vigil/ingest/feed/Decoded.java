package dev.vigil.ingest.feed;

import dev.vigil.ingest.fetch.ContentType;
import dev.vigil.ingest.fetch.WebCharset;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A feed's bytes as text, decoded by one documented order:
 * <ol>
 *   <li>a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins over everything;</li>
 *   <li>else the {@code charset} parameter of the HTTP Content-Type (RFC 7303: the transport's
 *       word beats the document's);</li>
 *   <li>else the XML declaration's {@code encoding}, or UTF-16 recognised from the bytes of
 *       {@code <?} without a mark;</li>
 *   <li>else UTF-8, the fixed fallback (and the only encoding JSON Feed allows).</li>
 * </ol>
 * A name the JVM does not know is skipped in favour of the next step, and noted. Bytes that are
 * invalid in the chosen charset become U+FFFD and the decode is noted as lossy, with the offset
 * of the first bad byte: the feed is still read, and the problem is reported.
 *
 * @param text    the decoded text, without a byte-order mark
 * @param charset the charset used
 * @param source  which step chose it
 * @param notes   what went less than perfectly (unknown charset names, invalid bytes)
 */
public record Decoded(String text, Charset charset, Source source, List<String> notes) {

    /** Which step of the order chose the charset. */
    public enum Source { BOM, HTTP, XML_DECLARATION, FALLBACK }

    private static final Pattern XML_ENCODING = Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

    public Decoded {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(source, "source");
        notes = List.copyOf(notes);
    }

    public boolean lossy() {
        return notes.stream().anyMatch(n -> n.startsWith("invalid"));
    }

    /** Decodes by the order above; {@code xml} false skips the XML declaration step (JSON). */
    public static Decoded of(byte[] bytes, Optional<String> contentType, boolean xml) {
        List<String> notes = new ArrayList<>();
        Bom bom = Bom.of(bytes);
        if (bom != null) {
            return decode(bytes, bom.length, bom.charset, Source.BOM, notes);
        }
        Optional<String> httpName = ContentType.charsetOf(contentType);
        if (httpName.isPresent()) {
            Optional<Charset> cs = charset(httpName.get(), "HTTP charset", notes);
            if (cs.isPresent()) {
                return decode(bytes, 0, cs.get(), Source.HTTP, notes);
            }
        }
        if (xml) {
            if (bytes.length >= 4 && bytes[0] == '<' && bytes[1] == 0 && bytes[2] == '?' && bytes[3] == 0) {
                return decode(bytes, 0, StandardCharsets.UTF_16LE, Source.XML_DECLARATION, notes);
            }
            if (bytes.length >= 4 && bytes[0] == 0 && bytes[1] == '<' && bytes[2] == 0 && bytes[3] == '?') {
                return decode(bytes, 0, StandardCharsets.UTF_16BE, Source.XML_DECLARATION, notes);
            }
            String head = new String(bytes, 0, Math.min(bytes.length, 512), StandardCharsets.ISO_8859_1).stripLeading();
            Optional<String> declared = group(XML_ENCODING, head);
            if (declared.isPresent()) {
                Optional<Charset> cs = charset(declared.get(), "XML declaration encoding", notes);
                if (cs.isPresent()) {
                    // a document that declares UTF-16 but has no mark and ASCII-looking bytes is really 8-bit
                    if (!cs.get().name().startsWith("UTF-16") && !cs.get().name().startsWith("UTF-32")) {
                        return decode(bytes, 0, cs.get(), Source.XML_DECLARATION, notes);
                    }
                    notes.add("XML declaration says " + declared.get() + " but the bytes are 8-bit; using UTF-8");
                }
            }
        }
        return decode(bytes, 0, StandardCharsets.UTF_8, Source.FALLBACK, notes);
    }

    private static Optional<String> group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<Charset> charset(String name, String where, List<String> notes) {
        // the web's labels: ISO-8859-1 and US-ASCII are read as windows-1252, as browsers do
        if (WebCharset.isWindows1252(name)) {
            return Optional.of(WebCharset.WINDOWS_1252);
        }
        try {
            return Optional.of(Charset.forName(name.strip()));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            notes.add("unknown " + where + " '" + name + "' ignored");
            return Optional.empty();
        }
    }

    private static Decoded decode(byte[] bytes, int offset, Charset charset, Source source, List<String> notes) {
        CharsetDecoder strict = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, (long) ((bytes.length - offset) * (double) strict.maxCharsPerByte()) + 16));
        CoderResult r = strict.decode(in, out, true);
        if (!r.isError()) {
            strict.flush(out);
            return new Decoded(out.flip().toString(), charset, source, notes);
        }
        int bad = in.position();
        try {
            String text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
            notes.add("invalid " + charset.name() + " at byte " + bad + "; bad bytes replaced with U+FFFD");
            return new Decoded(text, charset, source, notes);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder never fails", e);
        }
    }

    private record Bom(int length, Charset charset) {
        static Bom of(byte[] b) {
            if (b.length >= 4 && (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x00 && (b[2] & 0xff) == 0xfe && (b[3] & 0xff) == 0xff) {
                return new Bom(4, Charset.forName("UTF-32BE"));
            }
            if (b.length >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe && b[2] == 0 && b[3] == 0) {
                return new Bom(4, Charset.forName("UTF-32LE"));
            }
            if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
                return new Bom(3, StandardCharsets.UTF_8);
            }
            if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
                return new Bom(2, StandardCharsets.UTF_16BE);
            }
            if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
                return new Bom(2, StandardCharsets.UTF_16LE);
            }
            return null;
        }
    }
}

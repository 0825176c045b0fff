package dev.vigil.ingest;

import com.rometools.opml.feed.opml.Attribute;
import com.rometools.opml.feed.opml.Opml;
import com.rometools.opml.feed.opml.Outline;
import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SAXBuilder;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.WireFeedOutput;
import dev.vigil.model.HttpUrl;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.PollIntervals;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.InvalidConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.located.Located;
import org.jdom2.located.LocatedJDOMFactory;

/**
 * OPML subscription lists, the way feed lists move between readers (Feedly, Miniflux, FreshRSS,
 * NetNewsWire…), read and written with Rome's OPML module. Reading flattens folders and takes
 * every outline with an {@code xmlUrl}; the outlet name comes from {@code text} or
 * {@code title}, the language from {@code language}. Writing groups feeds in one folder per
 * language, and keeps what only Vigil knows (id, region, intervals) in {@code vigil-*}
 * attributes, which other readers ignore, so a list exported and imported again is the same list.
 *
 * <p>Doctypes stay refused, as for feeds. Every problem names the file, line and outline.
 */
public final class OpmlFile {

    /** Largest OPML file read: subscription lists are small. */
    public static final long MAX_BYTES = 10L << 20;

    private static final String ID = "vigil-id";
    private static final String REGION = "vigil-region";
    private static final String INTERVAL = "vigil-interval";
    private static final String MIN_INTERVAL = "vigil-min-interval";
    private static final String MAX_INTERVAL = "vigil-max-interval";

    /**
     * What an OPML file holds.
     *
     * @param feeds the feeds, in document order
     * @param notes what was passed over (outlines without a feed address, repeated addresses)
     */
    public record Imported(List<FeedSpec> feeds, List<String> notes) {
        public Imported {
            feeds = List.copyOf(feeds);
            notes = List.copyOf(notes);
        }
    }

    private OpmlFile() {
    }

    public static Imported read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw problem(file.toString(), 0, 0, "", "larger than " + MAX_BYTES + " bytes: not a subscription list");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem(file.toString(), 0, 0, "", "cannot read: " + e);
        }
        return read(file.toString(), bytes);
    }

    /** Reads OPML bytes named {@code name} in messages. */
    public static Imported read(String name, byte[] bytes) {
        Secure rome = new Secure();
        Document document;
        try {
            SAXBuilder builder = rome.saxBuilder();
            builder.setJDOMFactory(new LocatedJDOMFactory());
            document = builder.build(new ByteArrayInputStream(bytes));
        } catch (JDOMException e) {
            String why = firstLine(e.getMessage());
            throw problem(name, 0, 0, "", why.contains("DOCTYPE") ? "refused: the document has a DOCTYPE" : "not well-formed XML: " + why);
        } catch (IOException e) {
            throw problem(name, 0, 0, "", "cannot read: " + firstLine(e.getMessage()));
        }
        Element root = document.getRootElement();
        WireFeed wire;
        try {
            wire = rome.build(document);
        } catch (IllegalArgumentException | FeedException e) {
            wire = null;
        }
        if (!(wire instanceof Opml opml)) {
            throw problem(name, line(root), 0, "", "not an OPML file (root element <" + root.getName() + ">"
                    + (root.getName().equals("opml") ? ", version '" + root.getAttributeValue("version") + "'" : "") + ")");
        }
        Element body = root.getChild("body", root.getNamespace());
        Reader reader = new Reader(name);
        reader.outlines(opml.getOutlines(), body == null ? List.of() : body.getChildren("outline", root.getNamespace()), "");
        if (!reader.problems.isEmpty()) {
            throw new InvalidConfigException(reader.problems);
        }
        return new Imported(reader.feeds, reader.notes);
    }

    private static final class Reader {
        private final String name;
        private final List<FeedSpec> feeds = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<ConfigProblem> problems = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final Map<URI, String> urls = new LinkedHashMap<>();

        Reader(String name) {
            this.name = name;
        }

        /** Rome's outlines and the elements they were read from, side by side (Rome reads them in document order). */
        void outlines(List<Outline> outlines, List<Element> elements, String folder) {
            for (int i = 0; i < outlines.size(); i++) {
                Outline o = outlines.get(i);
                Element e = i < elements.size() ? elements.get(i) : null;
                String label = label(o);
                String path = folder.isEmpty() ? label : folder + "/" + label;
                if (o.getXmlUrl() != null && !o.getXmlUrl().isBlank()) {
                    feed(o, e, path);
                } else if (!o.getChildren().isEmpty()) {
                    outlines(o.getChildren(), e == null ? List.of() : e.getChildren("outline", e.getNamespace()), path);
                } else {
                    notes.add(where(e) + ": outline '" + path + "' has no xmlUrl: not a feed, passed over");
                }
            }
        }

        private void feed(Outline o, Element e, String path) {
            int problemsBefore = problems.size();
            URI url = null;
            try {
                url = HttpUrl.parse(o.getXmlUrl());
            } catch (IllegalArgumentException ex) {
                add(e, path + ".xmlUrl", "expected an absolute http(s) URL, found '" + o.getXmlUrl() + "'");
            }
            // Vigil's own export writes a title only for a named outlet (text always names something); other readers' text is the name
            String source = o.getAttributeValue(ID) != null ? blankToNull(o.getTitle()) : label(o).equals("(untitled)") ? null : label(o);
            String language = null;
            if (o.getAttributeValue("language") != null) {
                try {
                    language = FeedDefinition.language(o.getAttributeValue("language"));
                } catch (IllegalArgumentException ex) {
                    notes.add(where(e) + ": outline '" + path + "': language '" + o.getAttributeValue("language") + "' is not a language tag, left out");
                }
            }
            String region = null;
            try {
                region = FeedDefinition.region(o.getAttributeValue(REGION));
            } catch (IllegalArgumentException ex) {
                add(e, path + "." + REGION, ex.getMessage().substring(ex.getMessage().indexOf(':') + 2));
            }
            PollIntervals polls = PollIntervals.DEFAULTS.resolve(duration(o, e, path, INTERVAL), duration(o, e, path, MIN_INTERVAL),
                    duration(o, e, path, MAX_INTERVAL));
            FeedId id = null;
            String given = o.getAttributeValue(ID);
            if (given != null) {
                try {
                    id = new FeedId(given.strip());
                } catch (IllegalArgumentException ex) {
                    add(e, path + "." + ID, ex.getMessage().substring(ex.getMessage().indexOf(':') + 2));
                }
            }
            if (problems.size() > problemsBefore || url == null) {
                return;
            }
            if (urls.containsKey(url)) {
                notes.add(where(e) + ": outline '" + path + "' repeats the feed of '" + urls.get(url) + "', passed over");
                return;
            }
            if (id == null) {
                id = unique(FeedSpec.suggestId(source, url));
            } else if (!ids.add(id.value())) {
                add(e, path + "." + ID, "feed id '" + id + "' is used twice");
                return;
            }
            try {
                feeds.add(new FeedSpec(id, url, source, language, region, polls.interval(), polls.min(), polls.max()));
                urls.put(url, path);
            } catch (IllegalArgumentException ex) {
                add(e, path + "." + INTERVAL, ex.getMessage());
            }
        }

        private FeedId unique(FeedId suggested) {
            String id = suggested.value();
            for (int n = 2; !ids.add(id); n++) {
                String suffix = "-" + n;
                id = suggested.value().substring(0, Math.min(suggested.value().length(), 64 - suffix.length())) + suffix;
            }
            return new FeedId(id);
        }

        /** The attribute's duration; null when it is absent or (reported) not a duration of at least 1s, so the default applies. */
        private Duration duration(Outline o, Element e, String path, String attribute) {
            String text = o.getAttributeValue(attribute);
            if (text == null) {
                return null;
            }
            Optional<Duration> d = ConfigNode.parseDuration(text);
            if (d.isEmpty() || d.get().compareTo(PollIntervals.SHORTEST) < 0) {
                add(e, path + "." + attribute, "expected a duration of at least 1s such as 5m, found '" + text + "'");
                return null;
            }
            return d.get();
        }

        private void add(Element e, String key, String message) {
            // line only: JDOM knows where a start tag ends, not where it starts, and a wrong column misleads more than none
            problems.add(new ConfigProblem(name, line(e), 0, key, message));
        }

        private String where(Element e) {
            return line(e) > 0 ? name + ":" + line(e) : name;
        }
    }

    /**
     * The catalogue as OPML 2.0: one folder per language (feeds without one last), each feed an
     * {@code <outline type="rss">} with its outlet name, address and language.
     */
    public static String write(List<FeedDefinition> feeds, String title, Instant created) {
        Opml opml = new Opml();
        opml.setFeedType("opml_2.0");
        opml.setTitle(title);
        opml.setCreated(Date.from(created));
        Map<String, List<FeedDefinition>> byLanguage = new TreeMap<>();
        for (FeedDefinition f : feeds) {
            byLanguage.computeIfAbsent(f.language() == null ? "~" : f.language(), k -> new ArrayList<>()).add(f);
        }
        List<Outline> folders = new ArrayList<>();
        byLanguage.forEach((language, list) -> {
            Outline folder = new Outline();
            folder.setText(language.equals("~") ? "Other" : languageName(language));
            folder.setTitle(folder.getText());
            list.stream().sorted((a, b) -> a.id().value().compareTo(b.id().value())).forEach(f -> folder.getChildren().add(outline(f)));
            folders.add(folder);
        });
        opml.setOutlines(folders);
        try {
            return new WireFeedOutput().outputString(opml, true);
        } catch (FeedException e) {
            throw new IllegalStateException("Rome could not write OPML: " + e.getMessage(), e);
        }
    }

    private static Outline outline(FeedDefinition f) {
        Outline o = new Outline();
        o.setText(f.source() != null ? f.source() : f.id().value());
        if (f.source() != null) {
            o.setTitle(f.source());
        }
        o.setType("rss");
        List<Attribute> attributes = o.getAttributes();
        attributes.add(new Attribute("xmlUrl", f.url().toString()));
        if (f.language() != null) {
            attributes.add(new Attribute("language", f.language()));
        }
        attributes.add(new Attribute(ID, f.id().value()));
        if (f.region() != null) {
            attributes.add(new Attribute(REGION, f.region()));
        }
        attributes.add(new Attribute(INTERVAL, PollIntervals.text(f.interval())));
        attributes.add(new Attribute(MIN_INTERVAL, PollIntervals.text(f.minInterval())));
        attributes.add(new Attribute(MAX_INTERVAL, PollIntervals.text(f.maxInterval())));
        return o;
    }

    /** A duration as people write it in Vigil's files: 90s, 5m, 1h. */
    private static String languageName(String tag) {
        Locale l = Locale.forLanguageTag(tag);
        String own = l.getDisplayLanguage(l);
        return own.isEmpty() ? tag : own.substring(0, 1).toUpperCase(l) + own.substring(1);
    }

    private static String label(Outline o) {
        String t = o.getText() != null && !o.getText().isBlank() ? o.getText() : o.getTitle();
        return t == null || t.isBlank() ? "(untitled)" : t.strip().replaceAll("\\s+", " ");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static int line(Element e) {
        return e instanceof Located l ? l.getLine() : 0;
    }

    private static InvalidConfigException problem(String file, int line, int column, String key, String message) {
        return new InvalidConfigException(List.of(new ConfigProblem(file, line, column, key, message)));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /** Rome's input with doctypes refused, exposing the secure SAX builder it configures. */
    private static final class Secure extends WireFeedInput {
        Secure() {
            super(false, Locale.US);
            setAllowDoctypes(false);
        }

        SAXBuilder saxBuilder() {
            return createSAXBuilder();
        }
    }
}

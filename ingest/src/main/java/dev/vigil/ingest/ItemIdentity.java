package dev.vigil.ingest;

import dev.vigil.ingest.feed.FeedItem;
import dev.vigil.model.CanonicalUrl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which items of a feed are the same item, poll after poll. The one rule: an item is its GUID
 * (RSS guid, Atom id, JSON Feed id); without one, its canonical link ({@link CanonicalUrl}: no
 * fragment, no tracking parameters); without either, its title and published date.
 *
 * <p>Two safeguards make the rule hold up against real feeds. A GUID shared by items with
 * different links in one document is no identity at all (some CMSs give every item the same
 * one), so those items fall back to their link. And an item counts as seen when either its
 * identity or its canonical link was seen, so a feed whose GUIDs change on every poll does not
 * re-publish its whole list each time.
 *
 * <p>This decides what is new <em>in one feed</em>. The article's id on {@code vigil.articles}
 * is {@link dev.vigil.model.ArticleId}'s rule (canonical URL first), so two feeds linking one
 * story still share one article id.
 */
final class ItemIdentity {

    /** The keys of one item: its identity and, when it has a link, its link's key. */
    record Keys(long identity, OptionalLong link) {
    }

    private ItemIdentity() {
    }

    /** Keys for every item of one document, in order. */
    static List<Keys> of(List<FeedItem> items) {
        Set<String> ambiguous = ambiguousGuids(items);
        List<Keys> out = new ArrayList<>(items.size());
        for (FeedItem item : items) {
            Optional<String> link = canonicalLink(item);
            OptionalLong linkKey = link.map(l -> OptionalLong.of(hash("l", l))).orElse(OptionalLong.empty());
            long identity;
            if (item.guid().isPresent() && !ambiguous.contains(item.guid().get())) {
                identity = hash("g", item.guid().get());
            } else if (linkKey.isPresent()) {
                identity = linkKey.getAsLong();
            } else {
                identity = hash("t", item.title().strip() + "\n" + item.published().map(Object::toString).orElse(""));
            }
            out.add(new Keys(identity, linkKey));
        }
        return out;
    }

    /** The GUIDs of this document shared by items with different links. */
    static Set<String> ambiguousGuids(List<FeedItem> items) {
        Map<String, String> linkByGuid = new HashMap<>();
        Set<String> bad = new HashSet<>();
        for (FeedItem item : items) {
            item.guid().ifPresent(g -> {
                String link = canonicalLink(item).orElse("");
                String before = linkByGuid.putIfAbsent(g, link);
                if (before != null && !before.equals(link)) {
                    bad.add(g);
                }
            });
        }
        return bad;
    }

    private static Optional<String> canonicalLink(FeedItem item) {
        return item.link().flatMap(CanonicalUrl::of);
    }

    /** 64 bits of SHA-256: collisions within one feed's few thousand keys are out of reach. */
    static long hash(String kind, String value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(kind.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] d = sha.digest(value.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

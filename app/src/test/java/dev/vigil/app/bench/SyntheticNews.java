package dev.vigil.app.bench;

import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Rules and articles for load tests: a rule file of any size in Vigil's syntax (topics, weighted
 * signals with phrases, prefixes, proximity and exclusions), and 3–8 KB articles of which a
 * realistic few mention a topic and a signal. Deterministic for a seed.
 */
final class SyntheticNews {

    private final Random random;
    private final List<String> vocabulary = new ArrayList<>();
    private final List<String> topicTerms = new ArrayList<>();
    private final List<String> signalTerms = new ArrayList<>();

    SyntheticNews(long seed) {
        random = new Random(seed);
        String[] syllables = {"ka", "lo", "ver", "mi", "tan", "so", "re", "ga", "nu", "pel", "dor", "ti", "sa", "mon", "que", "ra", "lin", "ob", "zu", "fe"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder w = new StringBuilder();
            int n = 2 + random.nextInt(3);
            for (int j = 0; j < n; j++) {
                w.append(syllables[random.nextInt(syllables.length)]);
            }
            vocabulary.add(w.toString() + (i % 7));
        }
    }

    /**
     * A rules file with {@code count} rules: a fifth topics, the rest signals. Topic and signal
     * terms are drawn from their own word lists so the articles can be salted with them.
     */
    String rules(int count) {
        int topics = Math.max(1, count / 5);
        StringBuilder out = new StringBuilder("topics:\n");
        for (int t = 0; t < topics; t++) {
            String a = word("place");
            String b = word("place");
            topicTerms.add(a);
            topicTerms.add(b);
            out.append("  topic-").append(t).append(":\n    any: [").append(a).append(", \"").append(b).append(' ').append(word("org")).append("\"]\n");
        }
        out.append("signals:\n");
        for (int s = 0; s < count - topics; s++) {
            String term = word("act");
            signalTerms.add(term);
            out.append("  signal-").append(s).append(":\n    weight: ").append(1 + random.nextInt(3)).append('\n');
            out.append("    any: [").append(term).append("*, \"").append(word("act")).append(' ').append(word("act")).append("\"]\n");
            if (s % 5 == 0) {
                out.append("    near: {within: 8, any: [").append(word("obj")).append(", ").append(vocabulary.get(random.nextInt(200))).append("]}\n");
            }
            if (s % 5 == 1) {
                out.append("    not: [\"").append(word("neg")).append(' ').append(term).append("\"]\n");
            }
        }
        out.append("alerting:\n  window: 24h\n  levels: {elevated: 6, high: 15, critical: 30}\n");
        return out.toString();
    }

    private String word(String kind) {
        return kind + Integer.toString(random.nextInt(Integer.MAX_VALUE), 36).toLowerCase(Locale.ROOT);
    }

    /**
     * An article of 3–8 KB. With probability {@code topical} it names a topic, and then with
     * probability one half it also carries a signal, so about {@code topical / 2} of them escalate.
     */
    Article article(int n, Instant at, double topical) {
        int bytes = 3_000 + random.nextInt(5_000);
        StringBuilder text = new StringBuilder(bytes + 200);
        boolean onTopic = !topicTerms.isEmpty() && random.nextDouble() < topical;
        boolean signal = onTopic && random.nextBoolean();
        int sentence = 0;
        while (text.length() < bytes) {
            // Zipf-like: frequent words are much more frequent
            int rank = (int) Math.min(vocabulary.size() - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(vocabulary.size()))));
            text.append(vocabulary.get(rank));
            if (++sentence % 14 == 0) {
                text.append(". ");
            } else {
                text.append(' ');
            }
            if (onTopic && text.length() > bytes / 3 && text.length() < bytes / 3 + 12) {
                text.append(topicTerms.get(random.nextInt(topicTerms.size()))).append(' ');
            }
            if (signal && text.length() > bytes / 2 && text.length() < bytes / 2 + 12) {
                text.append(signalTerms.get(random.nextInt(signalTerms.size()))).append("ed ");
            }
        }
        String title = vocabulary.get(random.nextInt(500)) + " " + vocabulary.get(random.nextInt(5000)) + " " + vocabulary.get(random.nextInt(5000));
        return new Article(Article.SCHEMA_VERSION, new ArticleId("load-" + n), new FeedId("load"), "outlet-" + (n % 97),
                "https://load.example/" + n, title, text.toString(), Article.TextOrigin.EXTRACTED, at, at, "en");
    }
}

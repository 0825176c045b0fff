package dev.vigil.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a rules file of any size in the shape operators write them: one to five terms a rule,
 * drawn from the words of the corpus (single words, two-word phrases taken from its text, prefixes
 * of its words) and from made-up names that never occur, as a watch list names far more things
 * than one day's news mentions; a fifth of the rules with {@code near}, a sixth with {@code not}
 * (half overlapping, half within a few words). How many terms come from the corpus is the
 * {@link Mix}. The same size, mix and seed always give the same file.
 */
public final class RuleGenerator {

    private final List<String> words;
    private final List<String> phrases;

    public RuleGenerator(List<BenchArticle> corpus) {
        Map<String, Integer> frequency = new HashMap<>();
        Set<String> bigrams = new LinkedHashSet<>();
        for (BenchArticle a : corpus) {
            String[] tokens = (a.title() + " " + a.body()).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
            for (int i = 0; i < tokens.length; i++) {
                String t = tokens[i];
                if (t.length() >= 3 && t.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                    frequency.merge(t, 1, Integer::sum);
                    if (i + 1 < tokens.length && tokens[i + 1].length() >= 3 && tokens[i + 1].chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                        bigrams.add(t + " " + tokens[i + 1]);
                    }
                }
            }
        }
        // the most frequent words are function words no operator would watch for
        List<String> byFrequency = new ArrayList<>(frequency.keySet());
        byFrequency.sort(Comparator.comparing((String w) -> -frequency.get(w)).thenComparing(w -> w));
        this.words = List.copyOf(byFrequency.subList(Math.min(150, byFrequency.size()), byFrequency.size()));
        Set<String> stop = Set.copyOf(byFrequency.subList(0, Math.min(150, byFrequency.size())));
        this.phrases = bigrams.stream().filter(b -> {
            String[] two = b.split(" ");
            return !(stop.contains(two[0]) && stop.contains(two[1]));
        }).sorted().toList();
    }

    /** How many of the terms come from the corpus, which decides how many rules an article matches. */
    public enum Mix {
        /** 6% words, 2% phrases, 1% prefixes of the corpus: an article matches about 1.3% of the rules (13 of 1,000 here). */
        TYPICAL(6, 8, 9, 100),
        /** 25% words, 10% phrases, 5% prefixes: an article matches about 5% of the rules (51 of 1,000 here), a heavy load on any engine. */
        BROAD(5, 7, 8, 20);

        private final int words;
        private final int phrases;
        private final int prefixes;
        private final int out;

        Mix(int words, int phrases, int prefixes, int out) {
            this.words = words;
            this.phrases = phrases;
            this.prefixes = prefixes;
            this.out = out;
        }
    }

    /** A rules file with {@code count} rules of the broad mix, a twentieth of them topics. */
    public String yaml(int count, long seed) {
        return yaml(count, seed, Mix.BROAD);
    }

    /** A rules file with {@code count} rules, a twentieth of them topics. */
    public String yaml(int count, long seed, Mix mix) {
        Random random = new Random(seed);
        StringBuilder topics = new StringBuilder("topics:\n");
        StringBuilder signals = new StringBuilder("signals:\n");
        int topicCount = Math.max(1, count / 20);
        for (int r = 0; r < count; r++) {
            boolean topic = r < topicCount;
            StringBuilder out = topic ? topics : signals;
            out.append(String.format(Locale.ROOT, "  %s%05d:%n", topic ? "t" : "s", r));
            if (!topic) {
                out.append("    weight: ").append(1 + random.nextInt(3)).append('\n');
            }
            out.append("    any: ").append(terms(random, 1 + random.nextInt(5), mix)).append('\n');
            if (random.nextInt(5) == 0) {
                out.append("    near: { within: ").append(4 + random.nextInt(7)).append(", any: ").append(terms(random, 1 + random.nextInt(3), mix)).append(" }\n");
            }
            if (random.nextInt(6) == 0) {
                String not = terms(random, 1 + random.nextInt(2), mix);
                out.append(random.nextBoolean() ? "    not: " + not + "\n" : "    not: { within: " + (1 + random.nextInt(4)) + ", any: " + not + " }\n");
            }
        }
        return "languages: [en]\n" + topics + signals;
    }

    private String terms(Random random, int n, Mix mix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(mix.out);
            String term;
            if (kind < mix.words) {
                term = words.get(random.nextInt(words.size()));
            } else if (kind < mix.phrases) {
                term = phrases.get(random.nextInt(phrases.size()));
            } else if (kind < mix.prefixes) {
                String w = words.get(random.nextInt(words.size()));
                term = w.length() >= 7 ? w.substring(0, 5 + random.nextInt(w.length() - 6)) + "*" : w;
            } else {
                term = invented(random);
            }
            out.add('"' + term + '"');
        }
        return "[" + String.join(", ", out) + "]";
    }

    /** A made-up name (a company, a place) that the corpus never mentions. */
    private static String invented(Random random) {
        String[] syllables = {"zan", "tor", "quil", "vex", "mar", "kol", "dri", "fen", "yub", "osk", "prax", "wim"};
        StringBuilder w = new StringBuilder();
        for (int s = 0; s < 2 + random.nextInt(2); s++) {
            w.append(syllables[random.nextInt(syllables.length)]);
        }
        return w.toString();
    }
}

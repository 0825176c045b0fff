package dev.vigil.bench;

import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compares the rules two engines find in every benchmark article and explains the differences.
 * {@code java -cp bench/target/vigil-bench.jar dev.vigil.bench.Agreement [rule counts…]}
 */
public final class Agreement {

    /** The outcome of one comparison. */
    public record Report(int rules, int articles, long matchesA, long matchesB, List<String> onlyA, List<String> onlyB) {
        public boolean agree() {
            return onlyA.isEmpty() && onlyB.isEmpty();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%6d rules, %d articles: %d and %d (article, rule) matches, %d only in the first, %d only in the second%s",
                    rules, articles, matchesA, matchesB, onlyA.size(), onlyB.size(),
                    agree() ? "" : "\n    first only: " + onlyA.stream().limit(5).toList() + "\n    second only: " + onlyB.stream().limit(5).toList());
        }
    }

    private Agreement() {
    }

    /** The rules of the generated file of {@code count} rules of the broad mix, parsed and validated. */
    public static RuleSet rules(List<BenchArticle> corpus, int count) {
        return rules(corpus, count, RuleGenerator.Mix.BROAD);
    }

    /** The rules of the generated file of {@code count} rules, parsed and validated. */
    public static RuleSet rules(List<BenchArticle> corpus, int count, RuleGenerator.Mix mix) {
        return RulesLoader.parse("generated-" + count + ".yaml", new RuleGenerator(corpus).yaml(count, 42, mix));
    }

    public static Report compare(Engine a, Engine b, List<BenchArticle> corpus, int rules) {
        long matchesA = 0;
        long matchesB = 0;
        List<String> onlyA = new ArrayList<>();
        List<String> onlyB = new ArrayList<>();
        for (BenchArticle article : corpus) {
            Set<String> x = a.matchedRules(article);
            Set<String> y = b.matchedRules(article);
            matchesA += x.size();
            matchesB += y.size();
            Set<String> diff = new HashSet<>(x);
            diff.removeAll(y);
            diff.forEach(r -> onlyA.add(article.id() + ":" + r));
            diff = new HashSet<>(y);
            diff.removeAll(x);
            diff.forEach(r -> onlyB.add(article.id() + ":" + r));
        }
        return new Report(rules, corpus.size(), matchesA, matchesB, onlyA, onlyB);
    }

    public static void main(String[] args) {
        List<BenchArticle> corpus = BenchCorpus.load();
        int[] counts = args.length == 0 ? new int[] {10, 100, 1000, 10000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (RuleGenerator.Mix mix : RuleGenerator.Mix.values()) {
            for (int count : counts) {
                RuleSet rules = rules(corpus, count, mix);
                try (Engine vigil = Engine.of("vigil", rules); Engine monitor = Engine.of("monitor", rules); Engine regex = Engine.of("regex", rules)) {
                    System.out.println(mix + " vigil vs Lucene Monitor: " + compare(vigil, monitor, corpus, count));
                    System.out.println(mix + " regex vs Lucene Monitor: " + compare(regex, monitor, corpus, count));
                }
            }
        }
    }
}

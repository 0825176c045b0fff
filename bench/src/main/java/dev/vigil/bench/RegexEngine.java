package dev.vigil.bench;

import dev.vigil.streams.rules.Rule;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.Term;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naive baseline: one precompiled word-boundary regular expression per rule, the alternation
 * of its {@code any} terms, run over title and body in turn. No stemming, no proximity, no
 * exclusions: it only stands for the cost of the obvious approach, and its matches differ.
 */
public final class RegexEngine implements Engine {

    private final List<String> ids = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();

    public RegexEngine(RuleSet rules) {
        for (Rule rule : rules.rules()) {
            List<String> alternatives = new ArrayList<>();
            for (Term term : rule.any()) {
                List<String> words = new ArrayList<>();
                for (Term.Piece piece : term.pieces()) {
                    if (piece instanceof Term.Word word) {
                        words.add(Pattern.quote(word.raw()));
                    } else if (piece instanceof Term.Exact exact) {
                        words.add(Pattern.quote(exact.surface()));
                    } else if (piece instanceof Term.Prefix prefix) {
                        words.add(Pattern.quote(prefix.prefix()) + "\\w*");
                    } else {
                        words.add(((Term.Regex) piece).pattern().pattern());
                    }
                }
                alternatives.add(String.join("\\W+", words));
            }
            ids.add(rule.ruleId().value());
            patterns.add(Pattern.compile("\\b(?:" + String.join("|", alternatives) + ")\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }
    }

    @Override
    public Object tag(BenchArticle article) {
        return matchedRules(article);
    }

    @Override
    public Set<String> matchedRules(BenchArticle article) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = patterns.get(i);
            if (p.matcher(article.title()).find() || p.matcher(article.body()).find()) {
                out.add(ids.get(i));
            }
        }
        return out;
    }
}

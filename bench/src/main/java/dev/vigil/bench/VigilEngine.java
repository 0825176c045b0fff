package dev.vigil.bench;

import dev.vigil.model.RuleId;
import dev.vigil.streams.rules.Matcher;
import dev.vigil.streams.rules.RuleSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Vigil's matcher: the compiled term index, evaluating every rule and keeping evidence as tagging does. */
public final class VigilEngine implements Engine {

    private final Matcher matcher;

    public VigilEngine(RuleSet rules) {
        this.matcher = new Matcher(rules);
    }

    @Override
    public Object tag(BenchArticle article) {
        return matcher.evaluate(article.title(), article.body(), "en");
    }

    @Override
    public Set<String> matchedRules(BenchArticle article) {
        return matcher.evaluate(article.title(), article.body(), "en").matchedRules().stream().map(RuleId::value).collect(Collectors.toSet());
    }
}

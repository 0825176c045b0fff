package dev.vigil.streams.rules;

import dev.vigil.model.Evidence;
import dev.vigil.model.Field;
import dev.vigil.model.RuleId;
import dev.vigil.model.SignalHit;
import dev.vigil.model.TopicMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds what a {@link RuleSet} says about one article's title and body. Stateless and
 * thread-safe; a rule set change makes a new matcher.
 *
 * <p>Semantics: a topic matches when any of its terms appears in the title or body. A signal
 * matches where one of its terms appears, within {@code near.within} words of a {@code near} term
 * in the same field when it has one, and not inside one of its {@code not} phrases. An article
 * with a topic match and at least one signal escalates that topic by the signals' weights, each
 * signal counted once however often it appears. Where two terms of one rule match overlapping
 * words ("terrorist organization" inside "foreign terrorist organization"), the evidence keeps
 * the first term listed.
 */
public final class Matcher {

    private static final int SNIPPET_WORDS = 8;
    /** Evidence kept per rule and field; an article naming Maduro forty times needs only a few. */
    private static final int MAX_EVIDENCE = 5;

    private final RuleSet rules;

    public Matcher(RuleSet rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public RuleSet rules() {
        return rules;
    }

    /** The topics this title and body are about, each with the signals found; empty when none. */
    public List<TopicMatch> match(String title, String body) {
        Tokens titleTokens = Tokens.of(Objects.requireNonNullElse(title, ""));
        Tokens bodyTokens = Tokens.of(Objects.requireNonNullElse(body, ""));
        List<TopicMatch> out = new ArrayList<>();
        List<SignalHit> signals = null;
        for (TopicRule topic : rules.topics()) {
            List<Evidence> topicEvidence = new ArrayList<>();
            find(new RuleId(topic.name().value()), topic.any(), titleTokens, Field.TITLE, topicEvidence);
            find(new RuleId(topic.name().value()), topic.any(), bodyTokens, Field.BODY, topicEvidence);
            if (topicEvidence.isEmpty()) {
                continue;
            }
            if (signals == null) {
                signals = signals(titleTokens, bodyTokens);
            }
            out.add(new TopicMatch(topic.name(), topicEvidence, signals));
        }
        return out;
    }

    private List<SignalHit> signals(Tokens title, Tokens body) {
        List<SignalHit> hits = new ArrayList<>();
        for (SignalRule signal : rules.signals()) {
            List<Evidence> evidence = new ArrayList<>();
            signalIn(signal, title, Field.TITLE, evidence);
            signalIn(signal, body, Field.BODY, evidence);
            if (!evidence.isEmpty()) {
                hits.add(new SignalHit(signal.id(), signal.weight(), evidence));
            }
        }
        return hits;
    }

    private void signalIn(SignalRule signal, Tokens tokens, Field field, List<Evidence> evidence) {
        List<Span> excluded = spans(signal.not(), tokens);
        List<Span> near = signal.near().map(p -> spans(p.any(), tokens)).orElse(null);
        List<Span> kept = new ArrayList<>();
        int found = 0;
        for (Term term : signal.any()) {
            for (int i = 0; i < tokens.size(); i++) {
                if (!term.matchesAt(tokens, i)) {
                    continue;
                }
                Span span = new Span(i, i + term.length() - 1);
                if (excluded.stream().anyMatch(span::overlaps) || kept.stream().anyMatch(span::overlaps)) {
                    continue;
                }
                if (near != null && near.stream().noneMatch(n -> n.distance(span) <= signal.near().get().within())) {
                    continue;
                }
                kept.add(span);
                evidence.add(evidence(signal.id(), term, tokens, field, span));
                if (++found == MAX_EVIDENCE) {
                    return;
                }
            }
        }
    }

    private static void find(RuleId rule, List<Term> terms, Tokens tokens, Field field, List<Evidence> evidence) {
        List<Span> kept = new ArrayList<>();
        int found = 0;
        for (Term term : terms) {
            for (int i = 0; i < tokens.size(); i++) {
                Span span = new Span(i, i + term.length() - 1);
                if (term.matchesAt(tokens, i) && kept.stream().noneMatch(span::overlaps)) {
                    kept.add(span);
                    evidence.add(evidence(rule, term, tokens, field, span));
                    if (++found == MAX_EVIDENCE) {
                        return;
                    }
                }
            }
        }
    }

    private static List<Span> spans(List<Term> terms, Tokens tokens) {
        List<Span> out = new ArrayList<>();
        for (Term term : terms) {
            for (int i = 0; i < tokens.size(); i++) {
                if (term.matchesAt(tokens, i)) {
                    out.add(new Span(i, i + term.length() - 1));
                }
            }
        }
        return out;
    }

    private static Evidence evidence(RuleId rule, Term term, Tokens tokens, Field field, Span span) {
        return new Evidence(rule, term.source(), field, tokens.start(span.from()), tokens.snippet(span.from(), span.to(), SNIPPET_WORDS));
    }

    /** Word positions {@code from..to}, inclusive. */
    private record Span(int from, int to) {
        boolean overlaps(Span other) {
            return from <= other.to && other.from <= to;
        }

        /** Words strictly between the two spans; 0 when they touch or overlap. */
        int distance(Span other) {
            if (overlaps(other)) {
                return 0;
            }
            return from > other.to ? from - other.to : other.from - to;
        }
    }
}

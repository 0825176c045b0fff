package dev.vigil.streams.rules;

import dev.vigil.model.Evidence;
import dev.vigil.model.Field;
import dev.vigil.model.RuleId;
import dev.vigil.model.SignalHit;
import dev.vigil.model.TopicMatch;
import dev.vigil.model.TopicName;
import dev.vigil.streams.rules.RuleIndex.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.util.CloseableThreadLocal;

/**
 * Finds what a {@link RuleSet} says about one article's title and body. Compiling the rule set
 * into a {@link RuleIndex} happens once, in the constructor; {@link #match} is thread-safe.
 *
 * <p>Semantics (see {@code docs/rules.md}): a rule counts in a field when one of its {@code any}
 * terms appears there, no {@code not} term stands over it (or within the exclusion's distance),
 * and, when it has {@code near}, one of those terms stands at most {@code within} words away in
 * the same field; a signal term just after a {@code background} marker of the rule set does not
 * count. A topic matches when its rule counts in a field it searches, or when {@code need}
 * different entries of its context count, title and body together. A signal found adds its weight
 * times the weight of the strongest field it counted in. An article matching a topic is a hit of it
 * (escalates it) when it carries at least one signal and the signals add up to the topic's
 * {@code minWeight}; only a hit's {@link TopicMatch} carries the signals, so every consumer reads
 * the one decision through {@link TopicMatch#escalates()}. Where two terms of one rule match overlapping
 * words ("terrorist organization" inside "foreign terrorist organization"), the evidence keeps the
 * first term listed.
 */
public final class Matcher {

    static final int SNIPPET_WORDS = 8;
    /**
     * Evidence kept per rule and field: the first place each of its terms counted, up to this many
     * terms. An article naming Maduro forty times needs one snippet to show it.
     */
    static final int MAX_EVIDENCE = 3;
    private static final Field[] FIELDS = {Field.TITLE, Field.BODY};
    private static final long[] NONE = new long[0];

    private final RuleIndex index;
    private final List<Rule> rules;
    /** Per rule, the reach of each {@code not} term (see {@link Rule.Exclusion}); empty without one. */
    private final int[][] notReach;
    private final CloseableThreadLocal<Scratch> scratches = new CloseableThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    public Matcher(RuleSet rules) {
        this.index = new RuleIndex(Objects.requireNonNull(rules, "rules"));
        this.rules = index.ruleList();
        this.notReach = this.rules.stream().map(rule -> rule.not().map(Rule.Exclusion::reaches).orElse(new int[0])).toArray(int[][]::new);
    }

    public RuleSet rules() {
        return index.rules();
    }

    /** The topics this title and body are about, each with the signals found; empty when none. Language unknown. */
    public List<TopicMatch> match(String title, String body) {
        return evaluate(title, body, null).topics();
    }

    /** As {@link #match(String, String)}, reading the article in {@code language} (a BCP 47 tag) when the rules have it. */
    public List<TopicMatch> match(String title, String body, String language) {
        return evaluate(title, body, language).topics();
    }

    /** Everything the rules found in an article: topics (with the signals), and the signals on their own. */
    public Evaluation evaluate(String title, String body, String language) {
        int mask = index.languageMask(language);
        Scratch scratch = scratches.get();
        scratch.startArticle();
        String[] texts = {Objects.requireNonNullElse(title, ""), Objects.requireNonNullElse(body, "")};
        for (int f = 0; f < FIELDS.length; f++) {
            if (!texts[f].isEmpty()) {
                field(FIELDS[f], texts[f], mask, scratch);
            }
        }
        int[] matched = scratch.matchedRules();
        List<SignalHit> signals = new ArrayList<>();
        List<TopicRule> topics = new ArrayList<>();
        List<List<Evidence>> topicEvidence = new ArrayList<>();
        List<PartialTopic> partial = List.of();
        double weight = 0;
        for (int r : matched) {
            Found f = scratch.found[r];
            if (rules.get(r) instanceof SignalRule signal) {
                signals.add(new SignalHit(signal.id(), signal.weight() * f.factor, f.evidence));
                weight += signal.weight() * f.factor;
            } else {
                TopicRule topic = (TopicRule) rules.get(r);
                int need = topic.context().map(TopicRule.Situation::need).orElse(Integer.MAX_VALUE);
                int entries = f.entries == null ? 0 : f.entries.cardinality();
                if (f.core || entries >= need) {
                    topics.add(topic);
                    topicEvidence.add(f.core ? f.evidence : f.contextEvidence);
                } else {
                    if (partial.isEmpty()) {
                        partial = new ArrayList<>(1);
                    }
                    partial.add(new PartialTopic(topic.name(), entries, need, f.contextEvidence == null ? List.of() : f.contextEvidence));
                }
            }
        }
        List<TopicMatch> matches = new ArrayList<>(topics.size());
        for (int t = 0; t < topics.size(); t++) {
            // the one decision: the topic and signals adding up to its minimum, or the match carries no signal
            boolean hit = !signals.isEmpty() && weight + 1e-9 >= topics.get(t).minWeight();
            matches.add(new TopicMatch(topics.get(t).name(), topicEvidence.get(t), hit ? signals : List.of()));
        }
        return new Evaluation(matches, signals, partial, this, scratch.excludedCount == 0 ? NONE : Arrays.copyOf(scratch.excluded, scratch.excludedCount));
    }

    /**
     * What the rules found in one article: the topics it is about (a topic it counts toward, a hit,
     * carries the signals; the others none), every signal found whether or not a topic matched,
     * the exclusions that won over a term that would have counted, and the topics whose context
     * counted in fewer entries than they need. The exclusions are made into records only when
     * asked for: the tagging step never reads them.
     */
    public static final class Evaluation {
        private final List<TopicMatch> topics;
        private final List<SignalHit> signals;
        private final List<PartialTopic> partial;
        private final Matcher matcher;
        private final long[] packedExclusions;
        private List<Excluded> excluded;

        public Evaluation(List<TopicMatch> topics, List<SignalHit> signals, List<Excluded> excluded, List<PartialTopic> partial) {
            this(topics, signals, partial, null, null);
            this.excluded = List.copyOf(excluded);
        }

        public Evaluation(List<TopicMatch> topics, List<SignalHit> signals) {
            this(topics, signals, List.of(), List.of());
        }

        private Evaluation(List<TopicMatch> topics, List<SignalHit> signals, List<PartialTopic> partial, Matcher matcher, long[] packedExclusions) {
            this.topics = List.copyOf(topics);
            this.signals = List.copyOf(signals);
            this.partial = List.copyOf(partial);
            this.matcher = matcher;
            this.packedExclusions = packedExclusions;
        }

        /** The topics the article is about; only a hit carries signals. */
        public List<TopicMatch> topics() {
            return topics;
        }

        /** Every signal found, whether or not a topic matched. */
        public List<SignalHit> signals() {
            return signals;
        }

        /** The exclusions (a {@code not} term, or a background marker) that won over a term that would have counted. */
        public synchronized List<Excluded> excluded() {
            if (excluded == null) {
                excluded = matcher.excluded(packedExclusions);
            }
            return excluded;
        }

        /** Topics whose context counted, but in fewer entries than they need. */
        public List<PartialTopic> partial() {
            return partial;
        }

        /** The topics the article counts toward as an escalation hit: what scoring adds up, and what {@code rules eval} counts. */
        public List<TopicMatch> hits() {
            return topics.stream().filter(TopicMatch::escalates).toList();
        }

        /** Whether the article counts toward {@code topic} as an escalation hit. */
        public boolean hits(String topic) {
            return topics.stream().anyMatch(t -> t.escalates() && t.topic().value().equals(topic));
        }

        /** What the signals found add to a topic the article is a hit of. */
        public double signalWeight() {
            return signals.stream().mapToDouble(SignalHit::weight).sum();
        }

        /** The ids of every rule that matched, topics first, in file order. */
        public Set<RuleId> matchedRules() {
            Set<RuleId> out = new LinkedHashSet<>();
            topics.forEach(t -> out.add(new RuleId(t.topic().value())));
            signals.forEach(s -> out.add(s.signal()));
            return out;
        }

        @Override
        public String toString() {
            return "Evaluation[topics=" + topics + ", signals=" + signals + ", excluded=" + excluded() + ", partial=" + partial + "]";
        }
    }

    /** An exclusion that won: {@code by} (a {@code not} term of {@code rule}) kept {@code term} from counting. */
    public record Excluded(RuleId rule, String term, String by) {
        public Excluded {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(term, "term");
            Objects.requireNonNull(by, "by");
        }
    }

    /** A topic whose context counted in {@code found} different entries of the {@code need} it needs, with their evidence. */
    public record PartialTopic(TopicName topic, int found, int need, List<Evidence> evidence) {
        public PartialTopic {
            Objects.requireNonNull(topic, "topic");
            evidence = List.copyOf(evidence);
        }
    }

    private void field(Field field, String text, int mask, Scratch scratch) {
        RuleIndex.FieldText words = index.read(text);
        scratch.startField();
        index.scan(words, mask, (variant, from, to) -> {
            for (RuleIndex.Use use : index.uses(variant)) {
                scratch.hits(use.rule()).add(use.role(), use.term(), from, to);
            }
        });
        for (int t = 0; t < scratch.touchedCount; t++) {
            int r = scratch.touched[t];
            Hits hits = scratch.hits[r];
            Rule rule = rules.get(r);
            double factor = rule.fields().of(field);
            if (factor == 0) {
                continue;
            }
            if (hits.any > 0) {
                List<Evidence> evidence = evaluate(r, rule, hits, field, words, scratch);
                if (!evidence.isEmpty()) {
                    Found f = scratch.found(r);
                    f.core = true;
                    f.factor = Math.max(f.factor, factor);
                    f.evidence.addAll(evidence);
                }
            }
            if (hits.context > 0) {
                context(r, (TopicRule) rule, hits, field, words, scratch);
            }
        }
    }

    /** Marks the context entries that count in this field, with the first place each counted as evidence. */
    private void context(int r, TopicRule topic, Hits hits, Field field, RuleIndex.FieldText words, Scratch scratch) {
        TopicRule.Situation situation = topic.context().orElseThrow();
        int[] reach = notReach[r];
        Found f = scratch.foundIfAny(r);
        for (int i = 0; i < hits.context; i++) {
            int entry = situation.entry().get(hits.contextTerm[i]);
            if (f != null && f.entries != null && f.entries.get(entry)) {
                continue;
            }
            int from = hits.contextFrom[i];
            int to = hits.contextTo[i];
            if (topic.not().isPresent() && excluded(r, hits.contextTerm[i], Role.CONTEXT, from, to, hits, reach, scratch)) {
                continue;
            }
            Term term = situation.any().get(hits.contextTerm[i]);
            if (f == null) {
                f = scratch.found(r);
            }
            if (f.entries == null) {
                f.entries = new BitSet();
                f.contextEvidence = new ArrayList<>(MAX_EVIDENCE);
            }
            f.entries.set(entry);
            if (f.contextEvidence.size() < MAX_EVIDENCE) {
                f.contextEvidence.add(new Evidence(topic.ruleId(), term.source(), field, words.start[from], scratch.snippet(words, from, to), words.end[to]));
            }
        }
    }

    /**
     * Whether {@code from} stands in the clause a background marker opens: at most its {@code
     * within} words after it, in the same sentence, and, where the marker opens its sentence ("Amid
     * the buildup, the US struck…"), before the first comma. Recorded as an exclusion that won.
     */
    private boolean background(int r, int term, Role role, int from, Hits hits, RuleIndex.FieldText words, Scratch scratch) {
        int within = index.rules().background().orElseThrow().within();
        for (int s = 0; s < hits.background; s++) {
            if (hits.backgroundTo[s] < from && from - hits.backgroundTo[s] - 1 <= within && inClause(words, hits.backgroundFrom[s], hits.backgroundTo[s], from)) {
                scratch.excluded(r, term, role, hits.backgroundTerm[s], true);
                return true;
            }
        }
        return false;
    }

    /** Whether no sentence end (nor, for a marker opening its sentence, a comma) stands between the marker and the word {@code from}. */
    static boolean inClause(RuleIndex.FieldText words, int markerFrom, int markerTo, int from) {
        boolean opensSentence = markerFrom == 0 || sentenceEndsBefore(words, markerFrom);
        for (int k = markerTo + 1; k <= from; k++) {
            if (sentenceEndsBefore(words, k) || opensSentence && gapHolds(words, k, ',')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a sentence ends between word {@code k - 1} and word {@code k}: a line break or {@code ;},
     * or {@code .}, {@code !}, {@code ?} before a capitalised word (so "EE.UU. y" and "U.S. forces"
     * mid-sentence do not end it; an abbreviation before a name may, which only narrows the clause).
     */
    static boolean sentenceEndsBefore(RuleIndex.FieldText words, int k) {
        String text = words.text;
        boolean stop = false;
        for (int i = words.end[k - 1]; i < words.start[k]; i++) {
            char c = text.charAt(i);
            if (c == ';' || c == '\n') {
                return true;
            }
            stop |= c == '.' || c == '!' || c == '?';
        }
        return stop && Character.isUpperCase(text.codePointAt(words.start[k]));
    }

    private static boolean gapHolds(RuleIndex.FieldText words, int k, char c) {
        int at = words.text.indexOf(c, words.end[k - 1]);
        return at >= 0 && at < words.start[k];
    }

    /** Whether an exclusion of the rule wins over the words {@code from..to}; a win is recorded once per article. */
    private static boolean excluded(int r, int term, Role role, int from, int to, Hits hits, int[] reach, Scratch scratch) {
        for (int s = 0; s < hits.not; s++) {
            if (gap(from, to, hits.notFrom[s], hits.notTo[s]) <= reach[hits.notTerm[s]]) {
                scratch.excluded(r, term, role, hits.notTerm[s], false);
                return true;
            }
        }
        return false;
    }

    /** Exclusions packed as {@link Scratch#excluded(int, int, Role, int, boolean)} packs them, as records. */
    private List<Excluded> excluded(long[] packed) {
        if (packed.length == 0) {
            return List.of();
        }
        List<Excluded> out = new ArrayList<>(packed.length);
        for (long e : packed) {
            Rule rule = rules.get((int) (e >>> 42));
            int term = (int) (e >>> 22 & 0xFFFFF);
            boolean context = (e & 1L << 21) != 0;
            boolean background = (e & 1L << 20) != 0;
            int by = (int) (e & 0xFFFFF);
            String termSource = context ? ((TopicRule) rule).context().orElseThrow().any().get(term).source() : rule.any().get(term).source();
            String bySource = background ? index.rules().background().orElseThrow().any().get(by).source() : rule.not().orElseThrow().any().get(by).source();
            out.add(new Excluded(rule.ruleId(), termSource, bySource));
        }
        return out;
    }

    /**
     * The evidence of the {@code any} hits that count: the first place each term counts, at most
     * {@link #MAX_EVIDENCE} terms; empty when none does.
     */
    private List<Evidence> evaluate(int r, Rule rule, Hits hits, Field field, RuleIndex.FieldText words, Scratch scratch) {
        // first term listed first, then by position: where terms overlap the first one listed is the evidence
        long[] order = scratch.order(hits.any);
        for (int i = 0; i < hits.any; i++) {
            order[i] = (long) hits.anyTerm[i] << 42 | (long) hits.anyFrom[i] << 21 | i;
        }
        Arrays.sort(order, 0, hits.any);
        int[] reach = notReach[r];
        int nearWithin = rule.near().map(Rule.Proximity::within).orElse(0);
        List<Evidence> out = new ArrayList<>(2);
        int[] keptFrom = scratch.keptFrom;
        int[] keptTo = scratch.keptTo;
        int lastTerm = -1;
        for (int o = 0; o < hits.any; o++) {
            int i = (int) (order[o] & 0x1FFFFF);
            int from = hits.anyFrom[i];
            int to = hits.anyTo[i];
            if (hits.anyTerm[i] == lastTerm
                    || overlapsKept(from, to, keptFrom, keptTo, out.size())
                    || rule.near().isPresent() && !anyWithin(from, to, hits.nearFrom, hits.nearTo, hits.near, nearWithin)) {
                continue;
            }
            if (rule.not().isPresent() && excluded(r, hits.anyTerm[i], Role.ANY, from, to, hits, reach, scratch)
                    || hits.background > 0 && background(r, hits.anyTerm[i], Role.ANY, from, hits, words, scratch)) {
                continue;
            }
            Term term = rule.any().get(hits.anyTerm[i]);
            keptFrom[out.size()] = from;
            keptTo[out.size()] = to;
            lastTerm = hits.anyTerm[i];
            out.add(new Evidence(rule.ruleId(), term.source(), field, words.start[from], scratch.snippet(words, from, to), words.end[to]));
            if (out.size() == MAX_EVIDENCE) {
                break;
            }
        }
        return out;
    }

    private static boolean overlapsKept(int from, int to, int[] keptFrom, int[] keptTo, int kept) {
        for (int k = 0; k < kept; k++) {
            if (from <= keptTo[k] && keptFrom[k] <= to) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the spans stands at most {@code within} words from {@code from..to}; -1 means it must overlap. */
    private static boolean anyWithin(int from, int to, int[] spanFrom, int[] spanTo, int spans, int within) {
        for (int s = 0; s < spans; s++) {
            if (gap(from, to, spanFrom[s], spanTo[s]) <= within) {
                return true;
            }
        }
        return false;
    }

    /** Words strictly between two spans of word positions; -1 when they share a word. */
    static int gap(int aFrom, int aTo, int bFrom, int bTo) {
        if (aFrom <= bTo && bFrom <= aTo) {
            return -1;
        }
        return aFrom > bTo ? aFrom - bTo - 1 : bFrom - aTo - 1;
    }

    /**
     * A short excerpt around the words {@code from..to}, whitespace collapsed, cut at word
     * boundaries, with an ellipsis where it was cut.
     */
    static String snippet(RuleIndex.FieldText words, int from, int to) {
        int a = Math.max(0, from - SNIPPET_WORDS);
        int b = Math.min(words.size - 1, to + SNIPPET_WORDS);
        boolean cutBefore = a > 0;
        boolean cutAfter = b < words.size - 1;
        String text = words.text;
        int start = words.start[a];
        int end = words.end[b];
        char[] out = new char[end - start + 2];
        int n = 0;
        if (cutBefore) {
            out[n++] = '…';
        }
        boolean space = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c <= ' ' ? c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' : c >= 0x80 && Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space) {
                out[n++] = ' ';
                space = false;
            }
            out[n++] = c;
        }
        if (cutAfter) {
            out[n++] = '…';
        }
        return new String(out, 0, n);
    }

    /** What one rule found in one field: its hits by role. */
    private static final class Hits {
        int any;

        void clear() {
            any = 0;
            near = 0;
            not = 0;
            context = 0;
            background = 0;
        }

        int[] anyTerm = new int[4];
        int[] anyFrom = new int[4];
        int[] anyTo = new int[4];
        int near;
        int[] nearFrom = new int[0];
        int[] nearTo = new int[0];
        int not;
        int[] notTerm = new int[0];
        int[] notFrom = new int[0];
        int[] notTo = new int[0];
        int context;
        int[] contextTerm = new int[0];
        int[] contextFrom = new int[0];
        int[] contextTo = new int[0];
        int background;
        int[] backgroundTerm = new int[0];
        int[] backgroundFrom = new int[0];
        int[] backgroundTo = new int[0];

        void add(RuleIndex.Role role, int term, int from, int to) {
            switch (role) {
                case ANY -> {
                    if (any == anyFrom.length) {
                        anyTerm = Arrays.copyOf(anyTerm, any * 2);
                        anyFrom = Arrays.copyOf(anyFrom, any * 2);
                        anyTo = Arrays.copyOf(anyTo, any * 2);
                    }
                    anyTerm[any] = term;
                    anyFrom[any] = from;
                    anyTo[any++] = to;
                }
                case NEAR -> {
                    if (near == nearFrom.length) {
                        nearFrom = Arrays.copyOf(nearFrom, Math.max(4, near * 2));
                        nearTo = Arrays.copyOf(nearTo, Math.max(4, near * 2));
                    }
                    nearFrom[near] = from;
                    nearTo[near++] = to;
                }
                case NOT -> {
                    if (not == notFrom.length) {
                        notTerm = Arrays.copyOf(notTerm, Math.max(4, not * 2));
                        notFrom = Arrays.copyOf(notFrom, Math.max(4, not * 2));
                        notTo = Arrays.copyOf(notTo, Math.max(4, not * 2));
                    }
                    notTerm[not] = term;
                    notFrom[not] = from;
                    notTo[not++] = to;
                }
                case CONTEXT -> {
                    if (context == contextFrom.length) {
                        contextTerm = Arrays.copyOf(contextTerm, Math.max(4, context * 2));
                        contextFrom = Arrays.copyOf(contextFrom, Math.max(4, context * 2));
                        contextTo = Arrays.copyOf(contextTo, Math.max(4, context * 2));
                    }
                    contextTerm[context] = term;
                    contextFrom[context] = from;
                    contextTo[context++] = to;
                }
                case BACKGROUND -> {
                    if (background == backgroundTo.length) {
                        backgroundTerm = Arrays.copyOf(backgroundTerm, Math.max(4, background * 2));
                        backgroundFrom = Arrays.copyOf(backgroundFrom, Math.max(4, background * 2));
                        backgroundTo = Arrays.copyOf(backgroundTo, Math.max(4, background * 2));
                    }
                    backgroundTerm[background] = term;
                    backgroundFrom[background] = from;
                    backgroundTo[background++] = to;
                }
                default -> throw new IllegalStateException("unknown role " + role);
            }
        }
    }

    /** What one rule found across fields; a new one per article, as its evidence list leaves with the result. */
    private static final class Found {
        double factor;
        /** Whether a core term counted; a topic found only through its context may fall short of it. */
        boolean core;
        final List<Evidence> evidence = new ArrayList<>(2);
        /** The context entries that counted, and the first places they did; null until one does (most rules have no context). */
        BitSet entries;
        List<Evidence> contextEvidence;
    }

    /**
     * One thread's working memory, reused from article to article so reading one allocates little:
     * per rule, the hits of the current field and what was found so far, and which rules were touched.
     */
    private final class Scratch {
        final Hits[] hits = new Hits[rules.size()];
        final Found[] found = new Found[rules.size()];
        final int[] fieldStamp = new int[rules.size()];
        final int[] articleStamp = new int[rules.size()];
        int[] touched = new int[64];
        int touchedCount;
        int[] matched = new int[64];
        int matchedCount;
        int fieldNumber;
        int articleNumber;
        long[] order = new long[16];
        final int[] keptFrom = new int[MAX_EVIDENCE];
        final int[] keptTo = new int[MAX_EVIDENCE];
        /** Snippets of this field by the span's first word: rules sharing a word share its snippet. */
        String[] snippets = new String[256];
        int[] snippetTo = new int[256];
        int[] snippetField = new int[256];

        long[] order(int size) {
            if (order.length < size) {
                order = new long[Math.max(size, order.length * 2)];
            }
            return order;
        }

        String snippet(RuleIndex.FieldText words, int from, int to) {
            if (from >= snippets.length) {
                int size = Math.max(from + 1, snippets.length * 2);
                snippets = Arrays.copyOf(snippets, size);
                snippetTo = Arrays.copyOf(snippetTo, size);
                snippetField = Arrays.copyOf(snippetField, size);
            }
            if (snippetField[from] != fieldNumber || snippetTo[from] != to) {
                snippets[from] = Matcher.snippet(words, from, to);
                snippetTo[from] = to;
                snippetField[from] = fieldNumber;
            }
            return snippets[from];
        }

        /** Exclusions that won in this article, packed: rule, term, role (context or not), kind (background or not), the winning term. */
        long[] excluded = new long[8];
        int excludedCount;

        void excluded(int rule, int term, Role role, int by, boolean background) {
            long e = (long) rule << 42 | (long) term << 22 | (role == Role.CONTEXT ? 1L << 21 : 0) | (background ? 1L << 20 : 0) | by;
            for (int i = 0; i < excludedCount; i++) {
                if (excluded[i] == e) {
                    return;
                }
            }
            if (excludedCount == excluded.length) {
                excluded = Arrays.copyOf(excluded, excludedCount * 2);
            }
            excluded[excludedCount++] = e;
        }

        void startArticle() {
            articleNumber++;
            matchedCount = 0;
            excludedCount = 0;
        }

        void startField() {
            fieldNumber++;
            touchedCount = 0;
        }

        Hits hits(int rule) {
            if (fieldStamp[rule] != fieldNumber) {
                fieldStamp[rule] = fieldNumber;
                if (hits[rule] == null) {
                    hits[rule] = new Hits();
                } else {
                    hits[rule].clear();
                }
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = rule;
            }
            return hits[rule];
        }

        Found found(int rule) {
            if (articleStamp[rule] != articleNumber) {
                articleStamp[rule] = articleNumber;
                found[rule] = new Found();
                if (matchedCount == matched.length) {
                    matched = Arrays.copyOf(matched, matchedCount * 2);
                }
                matched[matchedCount++] = rule;
            }
            return found[rule];
        }

        /** What was found of this rule in this article, or null. */
        Found foundIfAny(int rule) {
            return articleStamp[rule] == articleNumber ? found[rule] : null;
        }

        /** The rules found in this article, in file order (topics first). */
        int[] matchedRules() {
            int[] out = Arrays.copyOf(matched, matchedCount);
            Arrays.sort(out);
            return out;
        }
    }
}

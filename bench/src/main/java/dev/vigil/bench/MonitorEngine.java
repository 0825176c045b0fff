package dev.vigil.bench;

import dev.vigil.streams.rules.Analysis;
import dev.vigil.streams.rules.FieldWeights;
import dev.vigil.streams.rules.Language;
import dev.vigil.streams.rules.Rule;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.Term;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.monitor.MatchingQueries;
import org.apache.lucene.monitor.Monitor;
import org.apache.lucene.monitor.MonitorQuery;
import org.apache.lucene.monitor.QueryMatch;
import org.apache.lucene.queries.spans.SpanMultiTermQueryWrapper;
import org.apache.lucene.queries.spans.SpanNearQuery;
import org.apache.lucene.queries.spans.SpanNotQuery;
import org.apache.lucene.queries.spans.SpanOrQuery;
import org.apache.lucene.queries.spans.SpanQuery;
import org.apache.lucene.queries.spans.SpanTermQuery;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Lucene Monitor loaded with the same rules, each translated to the span query with the same
 * meaning, over the same analysis chain ({@link Analysis#analyzer}).
 *
 * <ul>
 *   <li>A rule without {@code near} or {@code not} becomes plain term, phrase and prefix queries,
 *       the fastest Monitor has; only the others need span queries.</li>
 *   <li>Every position is indexed twice: the stem, and the surface form marked with
 *       {@value #SURFACE} (as Lucene's {@code ReversedWildcardFilter} marks its extra tokens), so
 *       words match stems while prefixes and exact words match surface forms, in one field.</li>
 *   <li>A term is a {@link SpanTermQuery}, or an ordered {@link SpanNearQuery} of slop 0 for a
 *       phrase; a prefix a {@link PrefixQuery} in a span wrapper.</li>
 *   <li>{@code not} is a {@link SpanNotQuery} around the {@code any} spans: pre/post 0 for
 *       exclusions that must overlap, {@code within + 1} for a window of {@code within} words.</li>
 *   <li>{@code near} is an unordered {@link SpanNearQuery} of that and the near terms, slop
 *       {@code within}.</li>
 *   <li>The rule holds within one field: a {@link BooleanQuery} of the fields it searches.</li>
 * </ul>
 * Regular expression terms are not translated (RE2 and Lucene's regexp syntax differ); the
 * generated benchmark rules have none.
 */
public final class MonitorEngine implements Engine {

    /** Marks a surface form in the index. */
    static final char SURFACE = '\u0001';
    private static final String TITLE = "title";
    private static final String BODY = "body";

    private final Monitor monitor;
    private final Analysis words = new Analysis(List.of(Language.EN));

    public MonitorEngine(RuleSet rules) {
        Analyzer analyzer = Analysis.analyzer(Language.EN, SurfaceMark::new);
        try {
            monitor = new Monitor(analyzer);
            List<MonitorQuery> queries = new ArrayList<>();
            for (Rule rule : rules.rules()) {
                queries.add(new MonitorQuery(rule.ruleId().value(), query(rule)));
            }
            monitor.register(queries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Lucene Monitor", e);
        }
    }

    @Override
    public Object tag(BenchArticle article) {
        return match(article);
    }

    @Override
    public Set<String> matchedRules(BenchArticle article) {
        Set<String> out = new HashSet<>();
        match(article).getMatches().forEach(m -> out.add(m.getQueryId()));
        return out;
    }

    private MatchingQueries<QueryMatch> match(BenchArticle article) {
        Document doc = new Document();
        doc.add(new TextField(TITLE, article.title(), Field.Store.NO));
        doc.add(new TextField(BODY, article.body(), Field.Store.NO));
        try {
            return monitor.match(doc, QueryMatch.SIMPLE_MATCHER);
        } catch (IOException e) {
            throw new UncheckedIOException("Lucene Monitor failed to match", e);
        }
    }

    @Override
    public void close() {
        try {
            monitor.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the Lucene Monitor", e);
        }
    }

    /**
     * The cheapest query with the rule's meaning: a rule without {@code near} or {@code not} needs
     * no spans, so it is a plain disjunction of term, phrase and prefix queries, which Monitor runs
     * fastest; the others are span queries.
     */
    private Query query(Rule rule) {
        boolean plain = rule.near().isEmpty() && rule.not().isEmpty();
        BooleanQuery.Builder fields = new BooleanQuery.Builder();
        FieldWeights weights = rule.fields();
        for (String field : new String[] {TITLE, BODY}) {
            if ((field.equals(TITLE) ? weights.title() : weights.body()) == 0) {
                continue;
            }
            if (!plain) {
                fields.add(span(rule, field), BooleanClause.Occur.SHOULD);
                continue;
            }
            for (Term term : rule.any()) {
                fields.add(plain(term, field), BooleanClause.Occur.SHOULD);
            }
        }
        return fields.build();
    }

    private Query plain(Term term, String field) {
        List<org.apache.lucene.index.Term> words = new ArrayList<>();
        for (Term.Piece piece : term.pieces()) {
            if (piece instanceof Term.Word word) {
                words.add(new org.apache.lucene.index.Term(field, words(word.raw())));
            } else if (piece instanceof Term.Exact exact) {
                words.add(new org.apache.lucene.index.Term(field, SURFACE + exact.surface()));
            } else if (piece instanceof Term.Prefix prefix && term.pieces().size() == 1) {
                return new PrefixQuery(new org.apache.lucene.index.Term(field, SURFACE + prefix.prefix()));
            } else {
                return term(term, field);
            }
        }
        return words.size() == 1 ? new TermQuery(words.get(0)) : new PhraseQuery(0, field, words.stream().map(org.apache.lucene.index.Term::bytes)
                .toArray(org.apache.lucene.util.BytesRef[]::new));
    }

    private String words(String raw) {
        return words.forms(raw).stem(0);
    }

    private SpanQuery span(Rule rule, String field) {
        SpanQuery any = or(rule.any(), field);
        if (rule.not().isPresent()) {
            Rule.Exclusion not = rule.not().get();
            int distance = not.within() == Rule.Exclusion.OVERLAP ? 0 : not.within() + 1;
            any = new SpanNotQuery(any, or(not.any(), field), distance, distance);
        }
        if (rule.near().isPresent()) {
            Rule.Proximity near = rule.near().get();
            any = new SpanNearQuery(new SpanQuery[] {any, or(near.any(), field)}, near.within(), false);
        }
        return any;
    }

    private SpanQuery or(List<Term> terms, String field) {
        List<SpanQuery> clauses = new ArrayList<>();
        for (Term term : terms) {
            clauses.add(term(term, field));
        }
        return clauses.size() == 1 ? clauses.get(0) : new SpanOrQuery(clauses.toArray(new SpanQuery[0]));
    }

    private SpanQuery term(Term term, String field) {
        List<SpanQuery> pieces = new ArrayList<>();
        for (Term.Piece piece : term.pieces()) {
            pieces.add(piece(piece, field));
        }
        return pieces.size() == 1 ? pieces.get(0) : new SpanNearQuery(pieces.toArray(new SpanQuery[0]), 0, true);
    }

    private SpanQuery piece(Term.Piece piece, String field) {
        if (piece instanceof Term.Word word) {
            return new SpanTermQuery(new org.apache.lucene.index.Term(field, words.forms(word.raw()).stem(0)));
        }
        if (piece instanceof Term.Exact exact) {
            return new SpanTermQuery(new org.apache.lucene.index.Term(field, SURFACE + exact.surface()));
        }
        if (piece instanceof Term.Prefix prefix) {
            return new SpanMultiTermQueryWrapper<>(new PrefixQuery(new org.apache.lucene.index.Term(field, SURFACE + prefix.prefix())));
        }
        throw new IllegalArgumentException("regular expression terms have no Lucene Monitor translation here");
    }

    /**
     * Marks the first token of every position (the surface form {@code KeywordRepeatFilter} emits
     * first) with {@link #SURFACE}; the stem at the same position stays as it is.
     */
    static final class SurfaceMark extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);

        SurfaceMark(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            if (position.getPositionIncrement() > 0) {
                int length = term.length();
                char[] buffer = term.resizeBuffer(length + 1);
                System.arraycopy(buffer, 0, buffer, 1, length);
                buffer[0] = SURFACE;
                term.setLength(length + 1);
            }
            return true;
        }
    }
}

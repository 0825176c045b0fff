package dev.vigil.streams.rules;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.util.CloseableThreadLocal;

/**
 * A rule set compiled into an index over analysed words, so the cost of reading an article grows
 * with its length and with the matches found, not with the number of rules.
 *
 * <ul>
 *   <li>Every distinct word form a rule can match is an <em>atom</em>: a stem in one language, an
 *       exact surface form, a prefix, or a regular expression.</li>
 *   <li>Every term becomes one <em>variant</em> per language it applies to: the sequence of atoms
 *       its words must match at consecutive positions. Identical variants of different rules are
 *       one variant with several <em>uses</em> (rule, role, term).</li>
 *   <li>The atoms a word of an article matches depend only on the word, so they are computed once
 *       per distinct word and kept in a per-thread cache keyed by the word as the tokenizer cut it.
 *       Reading an article is then: tokenize, look each word up, and follow the few atoms found to
 *       the variants that start with them.</li>
 * </ul>
 */
final class RuleIndex {

    private static final int[] NONE = new int[0];

    /** What a term does in its rule. */
    enum Role { ANY, NEAR, NOT, CONTEXT, BACKGROUND }

    /** One term of one rule, reached through a variant. */
    record Use(int rule, Role role, int term) {
    }

    private final RuleSet rules;
    private final List<Rule> ruleList;
    private final Analysis analysis;
    private final int allLanguages;

    private final List<Map<String, Integer>> stemAtoms = new ArrayList<>();
    private final Map<String, Integer> exactAtoms = new HashMap<>();
    private final Map<String, Integer> prefixAtoms = new HashMap<>();
    private final List<Pattern> regexes = new ArrayList<>();
    private final List<Integer> regexAtoms = new ArrayList<>();
    private final Map<String, Integer> regexIds = new HashMap<>();
    private int minPrefix = Integer.MAX_VALUE;
    private int maxPrefix = 0;
    private final int[] atomMask;

    private final int[][] variantAtoms;
    /** Which word of a variant it is indexed by: the longest, as long words are the rare ones. */
    private final int[] variantAnchor;
    private final int[] variantMask;
    private final Use[][] variantUses;
    private final int[][] byFirstAtom;

    private final CloseableThreadLocal<Reader> readers = new CloseableThreadLocal<>() {
        @Override
        protected Reader initialValue() {
            return new Reader();
        }
    };

    RuleIndex(RuleSet rules) {
        this.rules = rules;
        this.ruleList = rules.rules();
        this.analysis = new Analysis(rules.languages());
        this.allLanguages = (1 << rules.languages().size()) - 1;
        for (int l = 0; l < rules.languages().size(); l++) {
            stemAtoms.add(new HashMap<>());
        }
        List<Integer> masks = new ArrayList<>();
        Map<List<Integer>, Integer> variantIds = new HashMap<>();
        List<int[]> atoms = new ArrayList<>();
        List<Integer> vmask = new ArrayList<>();
        List<List<Use>> uses = new ArrayList<>();
        List<Integer> anchors = new ArrayList<>();
        Variants variants = new Variants(masks, variantIds, atoms, anchors, vmask, uses);
        for (int r = 0; r < ruleList.size(); r++) {
            Rule rule = ruleList.get(r);
            addTerms(r, Role.ANY, rule.any(), variants);
            int rr = r;
            rule.near().ifPresent(n -> addTerms(rr, Role.NEAR, n.any(), variants));
            rule.not().ifPresent(n -> addTerms(rr, Role.NOT, n.any(), variants));
            if (rule instanceof TopicRule topic) {
                topic.context().ifPresent(s -> addTerms(rr, Role.CONTEXT, s.any(), variants));
            } else {
                rules.background().ifPresent(b -> addTerms(rr, Role.BACKGROUND, b.any(), variants));
            }
        }
        this.atomMask = masks.stream().mapToInt(Integer::intValue).toArray();
        this.variantAtoms = atoms.toArray(new int[0][]);
        this.variantMask = vmask.stream().mapToInt(Integer::intValue).toArray();
        this.variantUses = uses.stream().map(u -> u.toArray(new Use[0])).toArray(Use[][]::new);
        List<List<Integer>> first = new ArrayList<>();
        for (int a = 0; a < atomMask.length; a++) {
            first.add(new ArrayList<>());
        }
        this.variantAnchor = new int[variantAtoms.length];
        for (int v = 0; v < variantAtoms.length; v++) {
            variantAnchor[v] = anchors.get(v);
            first.get(variantAtoms[v][variantAnchor[v]]).add(v);
        }
        this.byFirstAtom = first.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    RuleSet rules() {
        return rules;
    }

    List<Rule> ruleList() {
        return ruleList;
    }

    Use[] uses(int variant) {
        return variantUses[variant];
    }

    /** The languages an article with this BCP 47 tag is read in, as a bit mask over the rule set's languages. */
    int languageMask(String tag) {
        Optional<Language> language = Language.ofTag(tag);
        if (language.isPresent()) {
            int l = rules.languages().indexOf(language.get());
            if (l >= 0) {
                return 1 << l;
            }
        }
        return allLanguages;
    }

    /** What compiling gathers before it is frozen into arrays. */
    private record Variants(List<Integer> masks, Map<List<Integer>, Integer> ids, List<int[]> atoms, List<Integer> anchors,
            List<Integer> languageMasks, List<List<Use>> uses) {
    }

    private void addTerms(int rule, Role role, List<Term> terms, Variants variants) {
        List<Integer> masks = variants.masks();
        List<int[]> atoms = variants.atoms();
        List<Integer> vmask = variants.languageMasks();
        List<List<Use>> uses = variants.uses();
        List<Language> languages = rules.languages();
        for (int t = 0; t < terms.size(); t++) {
            Term term = terms.get(t);
            for (int l = 0; l < languages.size(); l++) {
                if (term.language().isPresent() && term.language().get() != languages.get(l)) {
                    continue;
                }
                List<Integer> seq = new ArrayList<>();
                int anchor = 0;
                int longest = -1;
                for (int p = 0; p < term.pieces().size(); p++) {
                    Term.Piece piece = term.pieces().get(p);
                    seq.add(atom(piece, l, masks));
                    int length = piece instanceof Term.Regex ? 0 : keyLength(piece);
                    if (length > longest) {
                        longest = length;
                        anchor = p;
                    }
                }
                Integer v = variants.ids().get(seq);
                if (v == null) {
                    v = atoms.size();
                    variants.ids().put(seq, v);
                    variants.anchors().add(anchor);
                    atoms.add(seq.stream().mapToInt(Integer::intValue).toArray());
                    vmask.add(0);
                    uses.add(new ArrayList<>());
                }
                vmask.set(v, vmask.get(v) | 1 << l);
                Use use = new Use(rule, role, t);
                if (!uses.get(v).contains(use)) {
                    uses.get(v).add(use);
                }
            }
        }
    }

    private static int keyLength(Term.Piece piece) {
        if (piece instanceof Term.Word word) {
            return word.surface().length();
        }
        if (piece instanceof Term.Exact exact) {
            return exact.surface().length();
        }
        return ((Term.Prefix) piece).prefix().length();
    }

    private int atom(Term.Piece piece, int language, List<Integer> masks) {
        if (piece instanceof Term.Word word) {
            Analysis.WordForms forms = analysis.forms(word.raw());
            String stem = forms == null ? word.surface() : forms.stem(language);
            return stemAtoms.get(language).computeIfAbsent(stem, s -> newAtom(masks, 1 << language));
        }
        if (piece instanceof Term.Exact exact) {
            return exactAtoms.computeIfAbsent(exact.surface(), s -> newAtom(masks, allLanguages));
        }
        if (piece instanceof Term.Prefix prefix) {
            minPrefix = Math.min(minPrefix, prefix.prefix().length());
            maxPrefix = Math.max(maxPrefix, prefix.prefix().length());
            return prefixAtoms.computeIfAbsent(prefix.prefix(), s -> newAtom(masks, allLanguages));
        }
        Term.Regex regex = (Term.Regex) piece;
        return regexIds.computeIfAbsent(regex.pattern().pattern(), s -> {
            int a = newAtom(masks, allLanguages);
            regexes.add(regex.pattern());
            regexAtoms.add(a);
            return a;
        });
    }

    private static int newAtom(List<Integer> masks, int mask) {
        masks.add(mask);
        return masks.size() - 1;
    }

    /** Every atom one word matches, ascending; computed once per distinct word and thread. */
    private int[] atomsOf(String raw) {
        Analysis.WordForms forms = analysis.forms(raw);
        if (forms == null) {
            return NONE;
        }
        int[] out = new int[4];
        int n = 0;
        for (int l = 0; l < stemAtoms.size(); l++) {
            Integer a = stemAtoms.get(l).get(forms.stem(l));
            if (a != null) {
                out = add(out, n++, a);
            }
        }
        String surface = forms.surface();
        Integer exact = exactAtoms.get(surface);
        if (exact != null) {
            out = add(out, n++, exact);
        }
        for (int k = minPrefix; k <= Math.min(maxPrefix, surface.length()); k++) {
            Integer a = prefixAtoms.get(surface.substring(0, k));
            if (a != null) {
                out = add(out, n++, a);
            }
        }
        for (int i = 0; i < regexes.size(); i++) {
            if (regexes.get(i).matches(surface)) {
                out = add(out, n++, regexAtoms.get(i));
            }
        }
        if (n == 0) {
            return NONE;
        }
        int[] atoms = Arrays.copyOf(out, n);
        Arrays.sort(atoms);
        return atoms;
    }

    private static int[] add(int[] array, int at, int value) {
        int[] out = at < array.length ? array : Arrays.copyOf(array, array.length * 2);
        out[at] = value;
        return out;
    }

    /** One field of an article, cut into words with the atoms each matches. */
    static final class FieldText {
        final String text;
        final int size;
        final int[][] atoms;
        final int[] start;
        final int[] end;

        FieldText(String text, int size, int[][] atoms, int[] start, int[] end) {
            this.text = text;
            this.size = size;
            this.atoms = atoms;
            this.start = start;
            this.end = end;
        }
    }

    /** Cuts a field into words and looks their atoms up. */
    FieldText read(String text) {
        return readers.get().read(text);
    }

    /**
     * Calls {@code hits} for every variant that applies to the languages in {@code mask} and
     * matches in {@code field}: found through its anchor word, then its other words checked around it.
     */
    void scan(FieldText field, int mask, HitSink hits) {
        int[][] atoms = field.atoms;
        for (int i = 0; i < field.size; i++) {
            int[] here = atoms[i];
            for (int a : here) {
                if ((atomMask[a] & mask) == 0) {
                    continue;
                }
                for (int v : byFirstAtom[a]) {
                    if ((variantMask[v] & mask) == 0) {
                        continue;
                    }
                    int[] seq = variantAtoms[v];
                    int start = i - variantAnchor[v];
                    if (start < 0 || start + seq.length > field.size || seq.length > 1 && !continues(atoms, start, seq, variantAnchor[v])) {
                        continue;
                    }
                    hits.hit(v, start, start + seq.length - 1);
                }
            }
        }
    }

    private static boolean continues(int[][] atoms, int at, int[] seq, int anchor) {
        for (int k = 0; k < seq.length; k++) {
            if (k != anchor && !contains(atoms[at + k], seq[k])) {
                return false;
            }
        }
        return true;
    }

    /** Whether a word's atoms (ascending, nearly always fewer than four) hold {@code atom}. */
    private static boolean contains(int[] atoms, int atom) {
        for (int a : atoms) {
            if (a >= atom) {
                return a == atom;
            }
        }
        return false;
    }

    /** Receives the variants found at word positions {@code from..to}. */
    @FunctionalInterface
    interface HitSink {
        void hit(int variant, int from, int to);
    }

    /** One thread's tokenizer and {@link WordCache}. */
    private final class Reader {
        private final Tokenizer tokenizer = Analysis.tokenizer();
        private final CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offset = tokenizer.addAttribute(OffsetAttribute.class);
        private final WordCache cache = new WordCache();

        FieldText read(String text) {
            int capacity = Math.max(16, text.length() / 5);
            int[][] atoms = new int[capacity][];
            int[] start = new int[capacity];
            int[] end = new int[capacity];
            int n = 0;
            tokenizer.setReader(new StringReader(text));
            // closing the tokenizer readies it for the next text, also when this one failed
            try (Tokenizer words = tokenizer) {
                words.reset();
                while (words.incrementToken()) {
                    if (n == atoms.length) {
                        atoms = Arrays.copyOf(atoms, n * 2);
                        start = Arrays.copyOf(start, n * 2);
                        end = Arrays.copyOf(end, n * 2);
                    }
                    char[] buffer = term.buffer();
                    int length = term.length();
                    int hash = WordCache.hash(buffer, length);
                    int[] found = cache.get(buffer, length, hash);
                    if (found == null) {
                        found = atomsOf(new String(buffer, 0, length));
                        cache.put(buffer, length, hash, found);
                    }
                    atoms[n] = found;
                    start[n] = offset.startOffset();
                    end[n] = offset.endOffset();
                    n++;
                }
                words.end();
            } catch (IOException e) {
                throw new UncheckedIOException("reading text from memory cannot fail", e);
            }
            return new FieldText(text, n, atoms, start, end);
        }
    }
}

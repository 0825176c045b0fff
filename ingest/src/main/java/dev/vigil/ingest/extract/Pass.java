package dev.vigil.ingest.extract;

/**
 * How much the body finder trusts class names and its own cleaning, strictest first. A page whose
 * strict pass yields less than an article is read again more trustingly (Readability's retry:
 * sites name their article box "hidden-sm", "sidebar-wide" or "comment-article", or build it of
 * link-heavy tables), and the longest result wins.
 */
enum Pass {
    /** Boxes named like furniture go, class names weigh in the scoring, link-heavy boxes are cleaned out. */
    STRICT(true, true, true),
    /** Boxes named like furniture stay (comments still go). */
    KEEP_NAMED_BOXES(false, true, true),
    /** Nor do class names weigh, nor is the chosen container cleaned. */
    TRUST_NOTHING(false, false, false);

    final boolean removeNamedBoxes;
    final boolean weighClasses;
    final boolean cleanContainer;

    Pass(boolean removeNamedBoxes, boolean weighClasses, boolean cleanContainer) {
        this.removeNamedBoxes = removeNamedBoxes;
        this.weighClasses = weighClasses;
        this.cleanContainer = cleanContainer;
    }
}

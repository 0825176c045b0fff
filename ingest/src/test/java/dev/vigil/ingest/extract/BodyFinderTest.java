package dev.vigil.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The page structures the body finder's model is meant to read, one per test (pure unit tests on small pages). */
class BodyFinderTest {

    static final String P1 = "<p>The United States will designate Cartel de los Soles a foreign terrorist organization, the State Department said "
            + "on Sunday, in a move that widens the sanctions against the government in Caracas.</p>";
    static final String P2 = "<p>The designation takes effect on November 24 and allows sanctions against people who support the group, "
            + "officials said, adding that the decision had been weeks in the making.</p>";
    static final String P3 = "<p>Analysts in Bogotá and Washington said the step, which the government in Caracas rejected, would make "
            + "any negotiation harder, though neither side has closed the door.</p>";
    /** Enough paragraphs to be most of a page (a landmark or a hidden box must hold 800 characters of them to count as the article). */
    static final String STORY = P1 + P2 + P3 + "<p>Officials in Caracas called the decision an act of aggression and said the government would answer it in "
            + "every international forum open to it, starting with the United Nations in New York next week.</p>"
            + "<p>The State Department said the designation followed a review that began in the spring and drew on evidence gathered by "
            + "several agencies over many months, some of which would be made public.</p>";
    static final String NAV = "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li></ul></nav>";

    private final ArticleExtractor extractor = new ArticleExtractor();

    private String body(String html) throws ExtractionException {
        return extractor.extract(html, "https://herald.example/story").text();
    }

    @Test
    void aTitleNeverClosedDoesNotSwallowThePage() throws Exception {
        String html = "<html><head><title>Cartel designated (The Herald)" + NAV + "<div class=\"story\">" + P1 + P2 + P3 + "</div></body></html>";
        ArticleExtractor.Extracted x = extractor.extract(html, "https://herald.example/story");
        assertThat(x.title()).isEqualTo("Cartel designated (The Herald)");
        assertThat(x.text()).contains("foreign terrorist organization", "November 24", "Bogotá").doesNotContain("Home");
    }

    @Test
    void readersCommentsAreNotTheArticleEvenWhenTheyAreMostOfThePage() throws Exception {
        StringBuilder comments = new StringBuilder("<div id=\"comments\" class=\"comments-area\"><h3>12 comments</h3><ol class=\"comment-list\">");
        for (int i = 0; i < 6; i++) {
            comments.append("<li class=\"comment\"><article class=\"comment-body\"><p>I have followed this story for years, and I think the "
                    + "sanctions will change nothing at all, as the last round showed, reader number ").append(i).append(" says.</p></article></li>");
        }
        comments.append("</ol></div>");
        String text = body("<html><body>" + NAV + "<article class=\"post\"><div class=\"entry-content\">" + P1 + P2 + "</div>" + comments
                + "</article></body></html>");
        assertThat(text).contains("foreign terrorist organization", "November 24").doesNotContain("reader number", "12 comments");
    }

    @Test
    void anArticleInsideAPageHeaderOrAHiddenStreamingBoxIsKept() throws Exception {
        // a landing-page header holding the post, and a script framework's hidden box that its script shows
        assertThat(body("<html><body><header class=\"section_blog\"><h1>Cartel</h1>" + STORY + "</header>"
                + "<footer><p>© The Herald</p></footer></body></html>")).contains("foreign terrorist organization", "Bogotá");
        assertThat(body("<html><body><div>Loading…</div><div hidden id=\"S:0\"><div class=\"prose\">" + STORY
                + "</div></div></body></html>")).contains("November 24", "Bogotá");
        // ... while a page header and a hidden menu beside the article still go
        assertThat(body("<html><body><header><p>The Herald: independent news since 1851, read by a million people every day, "
                + "in print and online.</p></header><div hidden><p>Menu</p></div><div class=\"story\">" + P1 + P2 + P3 + "</div></body></html>"))
                .doesNotContain("independent news since", "Menu");
    }

    @Test
    void anArticleSplitIntoSectionsIsTakenWhole() throws Exception {
        String html = "<html><body>" + NAV + "<div class=\"page\">"
                + "<section class=\"chapter\"><h2>The decision</h2><div>" + P1 + P2 + "</div></section>"
                + "<section class=\"chapter\"><h2>The reactions</h2><div>" + P3 + "</div></section>"
                + "</div><div class=\"more\"><a href=\"/a\">Another story about something else entirely</a></div></body></html>";
        assertThat(body(html)).contains("foreign terrorist organization", "Bogotá", "The reactions").doesNotContain("Another story");
    }

    @Test
    void aDataTableReadsRowByRowWithItsRepeatedValues() throws Exception {
        String html = "<html><body><article>" + P1 + "<table><tr><th>Week</th><th>Monday</th><th>Tuesday</th></tr>"
                + "<tr><td>1</td><td>Rest</td><td>Run easy 30 min</td></tr><tr><td>2</td><td>Rest</td><td>Run easy 30 min</td></tr></table>"
                + P2 + "</article></body></html>";
        assertThat(body(html)).contains("Week Monday Tuesday", "1 Rest Run easy 30 min", "2 Rest Run easy 30 min");
    }

    @Test
    void aPageWhoseArticleBoxIsNamedLikeFurnitureIsReadAgainTrustingNames() throws Exception {
        // "sidebar-layout" and "hidden-sm" would send the box away on the strict pass; the retry finds the article
        String html = "<html><body>" + NAV + "<div class=\"sidebar-layout hidden-sm\">" + P1 + P2 + P3 + "</div></body></html>";
        assertThat(body(html)).contains("foreign terrorist organization", "Bogotá");
    }

    @Test
    void aCommentsMarkerEndsTheArticleWherever() throws Exception {
        String html = "<html><body><div class=\"story\">" + P1 + P2 + "<p>Have your say</p><p>Posted by: tom, Bolton on 8:21pm Tue 1 Jan 08</p>"
                + "<p>As long as they do not take advice from the people who got us into this mess in the first place, fine, I suppose.</p>"
                + "<p>Posted by: irf, Accrington on 9:45pm Tue 1 Jan 08</p><p>For once I completely agree with what tom said above, really.</p>"
                + "</div></body></html>";
        assertThat(body(html)).contains("November 24").doesNotContain("Have your say", "Posted by", "completely agree");
    }
}

package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArticleIdTest {

    @Test
    void canonicalUrlDropsFragmentTrackingAndDefaultPortAndLowerCasesHost() {
        assertThat(CanonicalUrl.of("HTTPS://News.Example.COM:443/World/Story?id=7&utm_source=rss&fbclid=abc#comments"))
                .contains("https://news.example.com/World/Story?id=7");
    }

    @Test
    void canonicalUrlKeepsPathCaseAndMeaningfulParametersInOrder() {
        assertThat(CanonicalUrl.of("http://example.org:8080/a/B?z=1&a=2"))
                .contains("http://example.org:8080/a/B?z=1&a=2");
    }

    @Test
    void canonicalUrlRejectsRelativeAndNonHttp() {
        assertThat(CanonicalUrl.of("/relative/path")).isEmpty();
        assertThat(CanonicalUrl.of("mailto:desk@example.org")).isEmpty();
        assertThat(CanonicalUrl.of("ftp://example.org/file")).isEmpty();
        assertThat(CanonicalUrl.of("http://exa mple.org/")).isEmpty();
        assertThat(CanonicalUrl.of("  ")).isEmpty();
    }

    @Test
    void sameStoryLinkedWithAndWithoutTrackingHasOneId() {
        ArticleId a = ArticleId.of(Optional.of("https://news.example.com/s/1?utm_medium=feed"), Optional.of("guid-a"), "T", null);
        ArticleId b = ArticleId.of(Optional.of("https://NEWS.example.com/s/1#top"), Optional.of("guid-b"), "Other", null);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void fallsBackToGuidThenTitleAndDate() {
        Instant when = Instant.parse("2025-11-24T10:00:00Z");
        ArticleId byGuid = ArticleId.of(Optional.of("not a url"), Optional.of("tag:example.org,2025:1"), "T", when);
        ArticleId byTitle = ArticleId.of(Optional.empty(), Optional.of("  "), "T", when);
        assertThat(byGuid.value()).startsWith("g-");
        assertThat(byTitle.value()).startsWith("t-");
        assertThat(byTitle).isNotEqualTo(ArticleId.of(Optional.empty(), Optional.empty(), "T", when.plusSeconds(1)));
    }

    @Test
    void idsRejectBlankAndNamesRejectOddCharacters() {
        assertThatThrownBy(() -> new ArticleId(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeedId("Has Space")).hasMessageContaining("feed id").hasMessageContaining("Has Space");
        assertThatThrownBy(() -> new TopicName("")).hasMessageContaining("topic name");
    }
}

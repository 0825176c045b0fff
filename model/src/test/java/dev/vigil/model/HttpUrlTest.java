package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HttpUrlTest {

    @Test
    void acceptsHttpAndHttpsWithAHostWhateverTheSchemesCase() {
        assertThat(HttpUrl.parse(" https://feeds.bbci.co.uk/news/rss.xml ")).isEqualTo(URI.create("https://feeds.bbci.co.uk/news/rss.xml"));
        assertThat(HttpUrl.parse("HTTP://127.0.0.1:8080/")).hasHost("127.0.0.1");
        assertThat(HttpUrl.is(URI.create("http://[::1]:80/x"))).isTrue();
    }

    @Test
    void namesWhyAnythingElseIsNotOne() {
        assertThatThrownBy(() -> HttpUrl.parse("ftp://example.org/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scheme 'ftp', expected http or https");
        assertThatThrownBy(() -> HttpUrl.parse("//127.0.0.1:8080")).hasMessage("no scheme, expected http:// or https://");
        assertThatThrownBy(() -> HttpUrl.parse("feeds/world.xml")).hasMessage("no scheme, expected http:// or https://");
        assertThatThrownBy(() -> HttpUrl.parse("http:/feed.xml")).hasMessage("no host");
        assertThatThrownBy(() -> HttpUrl.parse("http://a b/?token=s3cret")).hasMessageStartingWith("not a URL: ").hasMessageNotContaining("s3cret");
    }

    @Test
    void checkSaysWhichKindOfProblem() {
        assertThat(HttpUrl.check(URI.create("mailto:ops@example.org"))).contains(HttpUrl.Problem.NOT_HTTP);
        assertThat(HttpUrl.check(URI.create("https:///x"))).contains(HttpUrl.Problem.NO_HOST);
        assertThat(HttpUrl.check(URI.create("https://example.org"))).isEmpty();
    }
}

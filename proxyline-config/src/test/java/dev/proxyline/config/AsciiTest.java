package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AsciiTest {
    @Test
    void foldsAsciiLettersOnlyAsNginxDoes() {
        assertThat(Ascii.lowerCase("Example.COM")).isEqualTo("example.com");
        // ngx_tolower leaves every byte above 0x7F alone; String.toLowerCase would fold these.
        assertThat(Ascii.lowerCase("ÄÖ-İ")).isEqualTo("ÄÖ-İ");
        assertThat(Ascii.lower('@')).isEqualTo('@');
        assertThat(Ascii.lower('[')).isEqualTo('[');
    }

    @Test
    void returnsTheSameStringWhenNothingChanges() {
        String lower = "already.lower";
        assertThat(Ascii.lowerCase(lower)).isSameAs(lower);
    }

    @Test
    void foldsAPrefix() {
        assertThat(Ascii.lowerCase("Host.Example:8080", 12)).isEqualTo("host.example");
        assertThat(Ascii.lowerCase("host.example:8080", 12)).isEqualTo("host.example");
        assertThat(Ascii.lowerCase("", 0)).isEmpty();
    }
}

package dev.proxyline.server.variables;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BasicCredentialsTest {
    @Test
    void userAndPasswordSplitAtTheFirstColon() {
        // YTpiOmM= = "a:b:c"
        assertThat(BasicCredentials.parse("Basic YTpiOmM=")).contains(new BasicCredentials("a", "b:c"));
        // YTo= = "a:", an empty password
        assertThat(BasicCredentials.parse("BASIC    YTo=")).contains(new BasicCredentials("a", ""));
    }

    @Test
    void base64EndsAtTheFirstEqualsSignAsNginxReadsIt() {
        assertThat(BasicCredentials.parse("Basic YTpi=!!garbage")).contains(new BasicCredentials("a", "b"));
        assertThat(BasicCredentials.parse("Basic YTpi")).contains(new BasicCredentials("a", "b"));
        assertThat(BasicCredentials.parse("Basic YTpiY")).isEmpty(); // 4n+1 characters
        assertThat(BasicCredentials.parse("Basic =YTpi")).isEmpty();
    }

    @Test
    void otherSchemesAndEmptyFieldsAreNoCredentials() {
        assertThat(BasicCredentials.parse("Basic")).isEmpty();
        assertThat(BasicCredentials.parse("Basic ")).isEmpty();
        assertThat(BasicCredentials.parse("Basic\tYTpi")).isEmpty();
        assertThat(BasicCredentials.parse("Digest YTpi")).isEmpty();
    }
}

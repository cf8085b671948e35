package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.HttpSettings;
import dev.proxyline.server.upstream.FailureKind;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NextUpstreamPolicyMappingTest {
    @Test
    void everyConditionTheConfigurationAcceptsBecomesAFailureKind() {
        NextUpstreamPolicy policy = HttpPlanner.nextUpstream(new HttpSettings.NextUpstream(
                HttpSettings.NextUpstream.CONDITIONS, true, 3, Duration.ofSeconds(5)));
        assertThat(policy.conditions()).extracting(FailureKind::directiveName)
                .containsExactlyInAnyOrderElementsOf(HttpSettings.NextUpstream.CONDITIONS);
        assertThat(policy.nonIdempotent()).isTrue();
        assertThat(policy.tries()).isEqualTo(3);
        assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theDefaultsAreNginxsHttpDefaults() {
        assertThat(HttpPlanner.nextUpstream(HttpSettings.NextUpstream.defaults()))
                .isEqualTo(NextUpstreamPolicy.httpDefault());
    }

    @Test
    void eachListedStatusIsItsKindAndOtherStatusesAreNone() {
        assertThat(NextUpstreamStatus.of(503)).contains(FailureKind.HTTP_503);
        assertThat(NextUpstreamStatus.of(429)).contains(FailureKind.HTTP_429);
        for (int status : new int[] {200, 301, 400, 401, 501}) {
            assertThat(NextUpstreamStatus.of(status)).isEmpty();
        }
        assertThat(HttpPlanner.nextUpstream(new HttpSettings.NextUpstream(Set.of(), false, 0, Duration.ZERO)))
                .isEqualTo(NextUpstreamPolicy.off());
    }
}

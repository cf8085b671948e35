package dev.proxyline.server.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How one DNS response reads, and the words nginx logs for a failed lookup. */
class AnswerTest {
    private static final InetAddress A = InetAddress.getLoopbackAddress();

    @Test
    void rcodesTwoToFiveAreErrorsAndFormerrOrUnknownOnesAreIgnoredAsNginxIgnoresThem() {
        for (int rcode = 2; rcode <= 5; rcode++) {
            assertThat(Answer.of(rcode, List.of(), 0, Optional.empty())).contains(new Answer.Error(rcode));
        }
        assertThat(Answer.of(1, List.of(), 0, Optional.empty())).isEmpty();
        assertThat(Answer.of(6, List.of(A), 60, Optional.empty())).isEmpty();
        assertThat(Answer.of(15, List.of(), 0, Optional.empty())).isEmpty();
    }

    @Test
    void noerrorGivesItsAddressesElseItsAliasElseNothing() {
        assertThat(Answer.of(0, List.of(A), 30, Optional.of("other.test")))
                .contains(new Answer.Addresses(List.of(A), 30));
        assertThat(Answer.of(0, List.of(), 30, Optional.of("other.test"))).contains(new Answer.Alias("other.test"));
        assertThat(Answer.of(0, List.of(), Long.MAX_VALUE, Optional.empty()))
                .contains(new Answer.Addresses(List.of(), 0));
    }

    @Test
    void failuresAreWordedAsNginxsErrorLog() {
        assertThat(List.of(1, 2, 3, 4, 5, LookupFailure.TIMED_OUT).stream()
                .map(code -> new LookupFailure("a.test", code).getMessage()).toList()).containsExactly(
                "a.test could not be resolved (1: Format error)",
                "a.test could not be resolved (2: Server failure)",
                "a.test could not be resolved (3: Host not found)",
                "a.test could not be resolved (4: Unimplemented)",
                "a.test could not be resolved (5: Operation refused)",
                "a.test could not be resolved (110: Operation timed out)");
        assertThat(new LookupFailure("a.test", LookupFailure.TIMED_OUT).timedOut()).isTrue();
        assertThat(new LookupFailure("a.test", 2).timedOut()).isFalse();
        assertThat(new LookupFailure("a.test", 2).getStackTrace()).isEmpty();
    }
}

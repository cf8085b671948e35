package dev.proxyline.server.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The A and AAAA answers of one name combined as nginx combines them, whichever arrives first. */
class AnswerPairTest {
    private static final InetAddress V4 = address(127, 0, 0, 9);
    private static final InetAddress V6 = address(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    private static final Answer FOUND_V4 = new Answer.Addresses(List.of(V4), 60);
    private static final Answer FOUND_V6 = new Answer.Addresses(List.of(V6), 30);
    private static final Answer EMPTY = new Answer.Addresses(List.of(), 0);

    @Test
    void withIpv6OffTheAAnswerAloneDecides() {
        AnswerPair pair = new AnswerPair(false);
        assertThat(pair.waitsFor(true)).isFalse();
        assertThat(pair.take(false, FOUND_V4)).contains(new AnswerPair.Outcome.Found(List.of(V4), 60));
        assertThat(new AnswerPair(false).take(false, EMPTY)).contains(new AnswerPair.Outcome.Failed(3));
        assertThat(new AnswerPair(false).take(false, new Answer.Error(2))).contains(new AnswerPair.Outcome.Failed(2));
    }

    @Test
    void bothAnswersAreAwaitedAndTheirAddressesJoinedIpv4FirstWithTheSmallerTtl() {
        AnswerPair pair = new AnswerPair(true);
        assertThat(pair.take(true, FOUND_V6)).isEmpty();
        assertThat(pair.waitsFor(true)).isFalse();
        assertThat(pair.waitsFor(false)).isTrue();
        assertThat(pair.take(false, FOUND_V4)).contains(new AnswerPair.Outcome.Found(List.of(V4, V6), 30));
    }

    @Test
    void oneEmptyAnswerLeavesTheOthersAddressesAndTwoMakeHostNotFound() {
        AnswerPair pair = new AnswerPair(true);
        assertThat(pair.take(false, FOUND_V4)).isEmpty();
        assertThat(pair.take(true, EMPTY)).contains(new AnswerPair.Outcome.Found(List.of(V4), 60));
        AnswerPair none = new AnswerPair(true);
        none.take(true, EMPTY);
        assertThat(none.take(false, EMPTY)).contains(new AnswerPair.Outcome.Failed(LookupFailure.HOST_NOT_FOUND));
    }

    @Test
    void anErrorInEitherFailsTheLookupEvenBesideAddressesAndTheLaterErrorIsReported() {
        AnswerPair pair = new AnswerPair(true);
        pair.take(false, FOUND_V4);
        assertThat(pair.take(true, new Answer.Error(2))).contains(new AnswerPair.Outcome.Failed(2));
        AnswerPair two = new AnswerPair(true);
        two.take(true, new Answer.Error(5));
        assertThat(two.take(false, new Answer.Error(3))).contains(new AnswerPair.Outcome.Failed(3));
    }

    @Test
    void anAliasIsFollowedOnlyWhenNoAddressCameAndARepeatedAnswerIsIgnored() {
        AnswerPair pair = new AnswerPair(true);
        assertThat(pair.take(false, new Answer.Alias("real.test"))).isEmpty();
        assertThat(pair.take(false, FOUND_V4)).isEmpty();
        assertThat(pair.take(true, EMPTY)).contains(new AnswerPair.Outcome.Follow("real.test"));
        AnswerPair withAddress = new AnswerPair(true);
        withAddress.take(false, new Answer.Alias("real.test"));
        assertThat(withAddress.take(true, FOUND_V6)).contains(new AnswerPair.Outcome.Found(List.of(V6), 30));
        assertThat(withAddress.take(true, FOUND_V6)).isEqualTo(Optional.empty());
    }

    private static InetAddress address(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.failOnce;
import static dev.proxyline.server.upstream.Groups.group;
import static dev.proxyline.server.upstream.Groups.pickAndRelease;
import static dev.proxyline.server.upstream.Groups.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistentHashTest {
    private static final int KEYS = 10_000;
    private final FakeClock clock = new FakeClock();
    private final BalancingMethod consistent = new BalancingMethod.Hash(true);

    private static String key(int i) {
        return "203.0." + (i / 256) + "." + (i % 256);
    }

    private Map<String, String> mapAll(UpstreamGroup group) {
        Map<String, String> mapping = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            mapping.put(key(i), pickAndRelease(group, key(i)));
        }
        return mapping;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static PeerSpec[] five() {
        return new PeerSpec[] {server(1), server(2), server(3), server(4), server(5)};
    }

    @Test
    void equalKeysMapToTheSamePeerAcrossGroupsBuiltAlike() {
        Map<String, String> first = mapAll(group(consistent, clock, five()));
        Map<String, String> second = mapAll(group(consistent, clock, five()));
        assertThat(second).isEqualTo(first);
        assertThat(mapAll(group(consistent, clock, five()))).isEqualTo(first);
    }

    @Test
    void removingOnePeerRemapsOnlyItsOwnKeysAboutOneFifth() {
        Map<String, String> before = mapAll(group(consistent, clock, five()));
        Map<String, String> after = mapAll(group(consistent, clock, server(1), server(2), server(4), server(5)));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String was = before.get(key(i));
            String now = after.get(key(i));
            if (!was.equals("10.0.0.3:80")) {
                assertThat(now).as("key %s not on the removed peer", key(i)).isEqualTo(was);
            } else {
                moved++;
            }
        }
        assertThat(moved).isBetween(KEYS / 5 - KEYS / 20, KEYS / 5 + KEYS / 20);
    }

    @Test
    void keysOfADownPeerSpreadOverTheOthers() {
        Map<String, String> before = mapAll(group(consistent, clock, five()));
        Map<String, String> after = mapAll(group(consistent, clock, server(1), server(2), server(3).asDown(), server(4), server(5)));
        Map<String, Integer> movedTo = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String was = before.get(key(i));
            String now = after.get(key(i));
            if (was.equals("10.0.0.3:80")) {
                movedTo.merge(now, 1, Integer::sum);
            } else {
                assertThat(now).isEqualTo(was);
            }
        }
        assertThat(movedTo).doesNotContainKey("10.0.0.3:80").hasSize(4);
    }

    @Test
    void keysComeBackWhenAFailedPeerRecovers() {
        UpstreamGroup group = group(consistent, clock, server(1), server(2), server(3).withMaxFails(1), server(4), server(5));
        Map<String, String> before = mapAll(group);
        String victimKey = before.entrySet().stream().filter(e -> e.getValue().equals("10.0.0.3:80"))
                .findFirst().orElseThrow().getKey();
        AttemptSequence sequence = group.begin(victimKey, NextUpstreamPolicy.off());
        assertThat(Groups.chosen(sequence.next()).name()).isEqualTo("10.0.0.3:80");
        sequence.fail(FailureKind.ERROR);

        assertThat(pickAndRelease(group, victimKey)).isNotEqualTo("10.0.0.3:80");
        clock.advance(Duration.ofSeconds(11));
        assertThat(mapAll(group)).isEqualTo(before);
    }

    @Test
    void keysSpreadRoughlyEvenlyAndByWeight() {
        Map<String, Integer> counts = new HashMap<>();
        mapAll(group(consistent, clock, server(1).withWeight(2), server(2), server(3)))
                .values().forEach(peer -> counts.merge(peer, 1, Integer::sum));
        assertThat(counts.get("10.0.0.1:80")).isBetween(4000, 6000);
        assertThat(counts.get("10.0.0.2:80")).isBetween(1800, 3200);
        assertThat(counts.get("10.0.0.3:80")).isBetween(1800, 3200);
    }

    @Test
    void ringHas160PointsPerWeightAndSplitsServerTextLikeNginx() {
        assertThat(text(HashRing.base("10.0.0.1:8080"))).isEqualTo("10.0.0.1\u00008080");
        assertThat(text(HashRing.base("backend"))).isEqualTo("backend\u0000");
        assertThat(text(HashRing.base("[::1]:80"))).isEqualTo("[::1]\u000080");
        assertThat(text(HashRing.base("unix:/tmp/sock"))).isEqualTo("/tmp/sock\u0000");
        Tier tier = new Tier(java.util.List.of(new Peer(server(1).withWeight(3), 0, 0, 0)), false);
        assertThat(HashRing.build(tier).size()).isEqualTo(480);
    }

    @Test
    void retryMovesToTheNextServerOnTheRing() {
        UpstreamGroup group = group(consistent, clock, five());
        AttemptSequence sequence = group.begin("client-1", NextUpstreamPolicy.httpDefault());
        String first = Groups.chosen(sequence.next()).name();
        sequence.fail(FailureKind.ERROR);
        String second = Groups.chosen(sequence.next()).name();
        assertThat(second).isNotEqualTo(first);
        assertThat(failOnce(group)).isNotNull();
    }
}

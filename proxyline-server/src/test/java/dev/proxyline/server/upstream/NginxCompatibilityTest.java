package dev.proxyline.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Choices recorded from real nginx 1.22.1 (Debian 12 {@code nginx-light}), so that "as nginx does"
 * is checked rather than assumed. The recording used one nginx with five backends
 * {@code 127.0.0.77:9101..9105} that answer with their own address, and these upstreams (server
 * 9102 has {@code weight=2} in both hash groups):
 *
 * <pre>
 * upstream chash { hash $arg_k consistent; server 127.0.0.77:9101; server 127.0.0.77:9102 weight=2; ... 9105; }
 * upstream phash { hash $arg_k;            server 127.0.0.77:9101; server 127.0.0.77:9102 weight=2; ... 9105; }
 * upstream rr    { server 127.0.0.77:9101 weight=5; server 127.0.0.77:9102; server 127.0.0.77:9103; }
 * </pre>
 *
 * then requested {@code /?k=k0} to {@code /?k=k199} from each hash upstream and 14 requests from
 * {@code rr}; and the same keys again with {@code 127.0.0.77:9103 down} in both hash upstreams, which
 * exercises plain hash's rehashing and the consistent ring walk. Vectors below are {@code key=port}.
 */
class NginxCompatibilityTest {
    private static final String CONSISTENT = """
            k0=9101 k1=9104 k2=9101 k3=9102 k4=9101 k5=9101 k6=9102 k7=9102 k8=9104 k9=9105
            k10=9102 k11=9101 k12=9105 k13=9104 k14=9101 k15=9105 k16=9104 k17=9101 k18=9102 k19=9102
            k20=9101 k21=9101 k22=9102 k23=9102 k24=9103 k25=9103 k26=9105 k27=9103 k28=9102 k29=9103
            k30=9103 k31=9103 k32=9103 k33=9102 k34=9102 k35=9104 k36=9102 k37=9102 k38=9101 k39=9104
            k40=9102 k41=9105 k42=9102 k43=9103 k44=9105 k45=9104 k46=9101 k47=9102 k48=9102 k49=9102
            k50=9101 k51=9102 k52=9102 k53=9101 k54=9103 k55=9103 k56=9104 k57=9103 k58=9101 k59=9104
            k60=9102 k61=9101 k62=9104 k63=9105 k64=9101 k65=9104 k66=9104 k67=9104 k68=9104 k69=9103
            k70=9102 k71=9104 k72=9104 k73=9104 k74=9102 k75=9102 k76=9102 k77=9102 k78=9102 k79=9102
            k80=9102 k81=9104 k82=9104 k83=9104 k84=9103 k85=9105 k86=9101 k87=9104 k88=9105 k89=9102
            k90=9102 k91=9102 k92=9104 k93=9102 k94=9102 k95=9102 k96=9105 k97=9103 k98=9101 k99=9104
            k100=9104 k101=9101 k102=9103 k103=9105 k104=9103 k105=9102 k106=9104 k107=9103 k108=9104 k109=9101
            k110=9102 k111=9102 k112=9103 k113=9101 k114=9101 k115=9103 k116=9101 k117=9105 k118=9105 k119=9102
            k120=9102 k121=9103 k122=9102 k123=9102 k124=9103 k125=9103 k126=9103 k127=9105 k128=9103 k129=9102
            k130=9102 k131=9103 k132=9102 k133=9102 k134=9102 k135=9102 k136=9102 k137=9101 k138=9102 k139=9105
            k140=9102 k141=9102 k142=9105 k143=9102 k144=9102 k145=9105 k146=9102 k147=9105 k148=9103 k149=9102
            k150=9101 k151=9103 k152=9104 k153=9102 k154=9102 k155=9104 k156=9103 k157=9102 k158=9101 k159=9103
            k160=9105 k161=9105 k162=9105 k163=9102 k164=9103 k165=9101 k166=9102 k167=9105 k168=9102 k169=9105
            k170=9102 k171=9102 k172=9101 k173=9101 k174=9102 k175=9102 k176=9102 k177=9104 k178=9104 k179=9104
            k180=9105 k181=9102 k182=9101 k183=9103 k184=9103 k185=9102 k186=9104 k187=9102 k188=9101 k189=9102
            k190=9104 k191=9102 k192=9105 k193=9102 k194=9102 k195=9104 k196=9101 k197=9103 k198=9102 k199=9105
            """;

    private static final String PLAIN = """
            k0=9102 k1=9101 k2=9102 k3=9101 k4=9104 k5=9105 k6=9101 k7=9105 k8=9101 k9=9103
            k10=9103 k11=9101 k12=9103 k13=9101 k14=9102 k15=9102 k16=9102 k17=9105 k18=9104 k19=9103
            k20=9102 k21=9105 k22=9104 k23=9103 k24=9103 k25=9101 k26=9102 k27=9104 k28=9103 k29=9102
            k30=9105 k31=9104 k32=9105 k33=9104 k34=9101 k35=9102 k36=9101 k37=9105 k38=9101 k39=9103
            k40=9102 k41=9102 k42=9102 k43=9103 k44=9103 k45=9102 k46=9103 k47=9102 k48=9105 k49=9104
            k50=9102 k51=9102 k52=9102 k53=9101 k54=9101 k55=9103 k56=9102 k57=9102 k58=9104 k59=9105
            k60=9102 k61=9102 k62=9104 k63=9102 k64=9103 k65=9104 k66=9102 k67=9101 k68=9102 k69=9101
            k70=9103 k71=9104 k72=9102 k73=9104 k74=9102 k75=9102 k76=9104 k77=9105 k78=9101 k79=9103
            k80=9105 k81=9101 k82=9105 k83=9101 k84=9102 k85=9102 k86=9102 k87=9105 k88=9102 k89=9103
            k90=9101 k91=9102 k92=9102 k93=9105 k94=9105 k95=9104 k96=9103 k97=9102 k98=9105 k99=9104
            k100=9103 k101=9104 k102=9105 k103=9104 k104=9101 k105=9102 k106=9101 k107=9102 k108=9102 k109=9102
            k110=9102 k111=9105 k112=9104 k113=9102 k114=9105 k115=9101 k116=9102 k117=9104 k118=9105 k119=9104
            k120=9105 k121=9104 k122=9103 k123=9102 k124=9102 k125=9105 k126=9102 k127=9105 k128=9104 k129=9105
            k130=9104 k131=9103 k132=9104 k133=9102 k134=9102 k135=9102 k136=9105 k137=9104 k138=9105 k139=9101
            k140=9103 k141=9104 k142=9102 k143=9101 k144=9101 k145=9102 k146=9104 k147=9105 k148=9104 k149=9102
            k150=9104 k151=9102 k152=9104 k153=9102 k154=9103 k155=9104 k156=9102 k157=9104 k158=9105 k159=9102
            k160=9105 k161=9102 k162=9103 k163=9104 k164=9101 k165=9103 k166=9104 k167=9102 k168=9101 k169=9103
            k170=9101 k171=9103 k172=9102 k173=9102 k174=9103 k175=9104 k176=9103 k177=9102 k178=9105 k179=9102
            k180=9104 k181=9105 k182=9102 k183=9105 k184=9102 k185=9104 k186=9105 k187=9101 k188=9103 k189=9104
            k190=9105 k191=9104 k192=9102 k193=9104 k194=9101 k195=9102 k196=9101 k197=9102 k198=9104 k199=9103
            """;

    private static final String CONSISTENT_9103_DOWN = """
            k0=9101 k1=9104 k2=9101 k3=9102 k4=9101 k5=9101 k6=9102 k7=9102 k8=9104 k9=9105
            k10=9102 k11=9101 k12=9105 k13=9104 k14=9101 k15=9105 k16=9104 k17=9101 k18=9102 k19=9102
            k20=9101 k21=9101 k22=9102 k23=9102 k24=9102 k25=9101 k26=9105 k27=9105 k28=9102 k29=9102
            k30=9102 k31=9105 k32=9104 k33=9102 k34=9102 k35=9104 k36=9102 k37=9102 k38=9101 k39=9104
            k40=9102 k41=9105 k42=9102 k43=9104 k44=9105 k45=9104 k46=9101 k47=9102 k48=9102 k49=9102
            k50=9101 k51=9102 k52=9102 k53=9101 k54=9102 k55=9102 k56=9104 k57=9102 k58=9101 k59=9104
            k60=9102 k61=9101 k62=9104 k63=9105 k64=9101 k65=9104 k66=9104 k67=9104 k68=9104 k69=9102
            k70=9102 k71=9104 k72=9104 k73=9104 k74=9102 k75=9102 k76=9102 k77=9102 k78=9102 k79=9102
            k80=9102 k81=9104 k82=9104 k83=9104 k84=9104 k85=9105 k86=9101 k87=9104 k88=9105 k89=9102
            k90=9102 k91=9102 k92=9104 k93=9102 k94=9102 k95=9102 k96=9105 k97=9102 k98=9101 k99=9104
            k100=9104 k101=9101 k102=9101 k103=9105 k104=9102 k105=9102 k106=9104 k107=9104 k108=9104 k109=9101
            k110=9102 k111=9102 k112=9102 k113=9101 k114=9101 k115=9105 k116=9101 k117=9105 k118=9105 k119=9102
            k120=9102 k121=9102 k122=9102 k123=9102 k124=9101 k125=9105 k126=9105 k127=9105 k128=9101 k129=9102
            k130=9102 k131=9101 k132=9102 k133=9102 k134=9102 k135=9102 k136=9102 k137=9101 k138=9102 k139=9105
            k140=9102 k141=9102 k142=9105 k143=9102 k144=9102 k145=9105 k146=9102 k147=9105 k148=9102 k149=9102
            k150=9101 k151=9105 k152=9104 k153=9102 k154=9102 k155=9104 k156=9105 k157=9102 k158=9101 k159=9102
            k160=9105 k161=9105 k162=9105 k163=9102 k164=9102 k165=9101 k166=9102 k167=9105 k168=9102 k169=9105
            k170=9102 k171=9102 k172=9101 k173=9101 k174=9102 k175=9102 k176=9102 k177=9104 k178=9104 k179=9104
            k180=9105 k181=9102 k182=9101 k183=9102 k184=9102 k185=9102 k186=9104 k187=9102 k188=9101 k189=9102
            k190=9104 k191=9102 k192=9105 k193=9102 k194=9102 k195=9104 k196=9101 k197=9104 k198=9102 k199=9105
            """;

    private static final String PLAIN_9103_DOWN = """
            k0=9102 k1=9101 k2=9102 k3=9101 k4=9104 k5=9105 k6=9101 k7=9105 k8=9101 k9=9102
            k10=9102 k11=9101 k12=9102 k13=9101 k14=9102 k15=9102 k16=9102 k17=9105 k18=9104 k19=9104
            k20=9102 k21=9105 k22=9104 k23=9102 k24=9101 k25=9101 k26=9102 k27=9104 k28=9104 k29=9102
            k30=9105 k31=9104 k32=9105 k33=9104 k34=9101 k35=9102 k36=9101 k37=9105 k38=9101 k39=9101
            k40=9102 k41=9102 k42=9102 k43=9102 k44=9104 k45=9102 k46=9101 k47=9102 k48=9105 k49=9104
            k50=9102 k51=9102 k52=9102 k53=9101 k54=9101 k55=9101 k56=9102 k57=9102 k58=9104 k59=9105
            k60=9102 k61=9102 k62=9104 k63=9102 k64=9102 k65=9104 k66=9102 k67=9101 k68=9102 k69=9101
            k70=9102 k71=9104 k72=9102 k73=9104 k74=9102 k75=9102 k76=9104 k77=9105 k78=9101 k79=9104
            k80=9105 k81=9101 k82=9105 k83=9101 k84=9102 k85=9102 k86=9102 k87=9105 k88=9102 k89=9104
            k90=9101 k91=9102 k92=9102 k93=9105 k94=9105 k95=9104 k96=9101 k97=9102 k98=9105 k99=9104
            k100=9102 k101=9104 k102=9105 k103=9104 k104=9101 k105=9102 k106=9101 k107=9102 k108=9102 k109=9102
            k110=9102 k111=9105 k112=9104 k113=9102 k114=9105 k115=9101 k116=9102 k117=9104 k118=9105 k119=9104
            k120=9105 k121=9104 k122=9105 k123=9102 k124=9102 k125=9105 k126=9102 k127=9105 k128=9104 k129=9105
            k130=9104 k131=9102 k132=9104 k133=9102 k134=9102 k135=9102 k136=9105 k137=9104 k138=9105 k139=9101
            k140=9105 k141=9104 k142=9102 k143=9101 k144=9101 k145=9102 k146=9104 k147=9105 k148=9104 k149=9102
            k150=9104 k151=9102 k152=9104 k153=9102 k154=9105 k155=9104 k156=9102 k157=9104 k158=9105 k159=9102
            k160=9105 k161=9102 k162=9105 k163=9104 k164=9101 k165=9102 k166=9104 k167=9102 k168=9101 k169=9102
            k170=9101 k171=9105 k172=9102 k173=9102 k174=9105 k175=9104 k176=9105 k177=9102 k178=9105 k179=9102
            k180=9104 k181=9105 k182=9102 k183=9105 k184=9102 k185=9104 k186=9105 k187=9101 k188=9102 k189=9104
            k190=9105 k191=9104 k192=9102 k193=9104 k194=9101 k195=9102 k196=9101 k197=9102 k198=9104 k199=9105
            """;

    private final FakeClock clock = new FakeClock();

    private UpstreamGroup hashGroup(boolean consistent) {
        return hashGroup(consistent, false);
    }

    private UpstreamGroup hashGroup(boolean consistent, boolean down9103) {
        List<PeerSpec> servers = new ArrayList<>();
        for (int port = 9101; port <= 9105; port++) {
            PeerSpec spec = PeerSpec.of("127.0.0.77:" + port);
            spec = port == 9102 ? spec.withWeight(2) : spec;
            servers.add(port == 9103 && down9103 ? spec.asDown() : spec);
        }
        return UpstreamGroup.create("h", servers, new BalancingMethod.Hash(consistent), clock, new SplittableRandom(1));
    }

    private static Map<String, String> vectors(String text) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String pair : text.trim().split("\\s+")) {
            String[] keyAndPort = pair.split("=");
            expected.put(keyAndPort[0], "127.0.0.77:" + keyAndPort[1]);
        }
        return expected;
    }

    private void assertSameChoices(UpstreamGroup group, String text) {
        Map<String, String> expected = vectors(text);
        assertThat(expected).hasSize(200);
        Map<String, String> actual = new LinkedHashMap<>();
        expected.keySet().forEach(key -> actual.put(key, Groups.pickAndRelease(group, key)));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void consistentHashMapsKeysExactlyAsNginx() {
        assertSameChoices(hashGroup(true), CONSISTENT);
    }

    @Test
    void plainHashMapsKeysExactlyAsNginx() {
        assertSameChoices(hashGroup(false), PLAIN);
    }

    @Test
    void consistentHashWalksTheRingPastADownServerAsNginx() {
        assertSameChoices(hashGroup(true, true), CONSISTENT_9103_DOWN);
    }

    @Test
    void plainHashRehashesPastADownServerAsNginx() {
        assertSameChoices(hashGroup(false, true), PLAIN_9103_DOWN);
    }

    @Test
    void smoothRoundRobinSequenceIsNginxs() {
        UpstreamGroup group = UpstreamGroup.create("rr", List.of(PeerSpec.of("127.0.0.77:9101").withWeight(5),
                PeerSpec.of("127.0.0.77:9102"), PeerSpec.of("127.0.0.77:9103")),
                new BalancingMethod.RoundRobin(), clock, new SplittableRandom(1));
        List<String> ports = Groups.picks(group, 14).stream().map(name -> name.substring(name.lastIndexOf(':') + 1)).toList();
        assertThat(String.join(" ", ports)).isEqualTo("9101 9101 9102 9101 9103 9101 9101 9101 9101 9102 9101 9103 9101 9101");
    }
}

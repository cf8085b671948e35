package dev.proxyline.server.stream.preread;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientHelloParserTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void opensslHelloWithServerNameAndAlpnIsTls13() throws IOException {
        assertThat(parse(fixture("openssl-sni-alpn"))).isEqualTo(hello(0x0304, "a.example", "h2,http/1.1"));
    }

    @Test
    void opensslHelloWithoutServerNameHasEmptyName() throws IOException {
        ClientHello hello = ((PrereadResult.Hello) parse(fixture("openssl-nosni"))).hello();
        assertThat(hello.serverName()).isEmpty();
        assertThat(hello.alpnProtocols()).isEmpty();
        assertThat(hello.protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void opensslTls12OnlyHelloReportsItsLegacyVersion() throws IOException {
        assertThat(parse(fixture("openssl-tls12"))).isEqualTo(hello(0x0303, "b.example", ""));
        assertThat(((PrereadResult.Hello) parse(fixture("openssl-tls12"))).hello().protocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void jdkHelloIsReadWhateverTheProtocols() throws Exception {
        assertThat(parse(JdkClientHello.of("svc.example.com", List.of("h2", "http/1.1"), "TLSv1.3", "TLSv1.2")))
                .isEqualTo(hello(0x0304, "svc.example.com", "h2,http/1.1"));
        // The JDK sends supported_versions even for TLS 1.2 only; nginx then says TLSv1.3 whatever it lists.
        assertThat(parse(JdkClientHello.of("old.example", List.of(), "TLSv1.2"))).isEqualTo(hello(0x0304, "old.example", ""));
    }

    @Test
    void everyPrefixOfAHelloNeedsMoreAndTheWholeIsDecidedHoweverItIsSplit() throws IOException {
        byte[] hello = fixture("openssl-sni-alpn");
        for (int n = 0; n < hello.length; n++) {
            assertThat(ClientHelloParser.parse(hello, 0, n)).as("prefix of %d bytes", n).isEqualTo(PrereadResult.NEED_MORE);
        }
        // The bytes after the hello (the client's next records) do not change the answer.
        byte[] more = Arrays.copyOf(hello, hello.length + 7);
        assertThat(ClientHelloParser.parse(more, 0, more.length)).isEqualTo(parse(hello));
    }

    @Test
    void aHelloSpreadOverSeveralRecordsIsJoined() throws IOException {
        byte[] whole = fixture("openssl-sni-alpn");
        for (int size : new int[] {1, 3, 4, 5, 40, 100, 300}) {
            byte[] split = JdkClientHello.resplit(whole, size);
            assertThat(parse(split)).as("records of %d bytes", size).isEqualTo(parse(whole));
            // Judged only when the last record is complete.
            assertThat(ClientHelloParser.parse(split, 0, split.length - 1)).isEqualTo(PrereadResult.NEED_MORE);
        }
    }

    @Test
    void theHelloIsFoundAtAnOffsetInTheCallersArray() throws IOException {
        byte[] hello = fixture("openssl-tls12");
        byte[] padded = new byte[hello.length + 20];
        System.arraycopy(hello, 0, padded, 11, hello.length);
        assertThat(ClientHelloParser.parse(padded, 11, hello.length)).isEqualTo(parse(hello));
    }

    @Test
    void plainTextIsNotTlsOnceFiveBytesAreIn() {
        byte[] get = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(ClientHelloParser.parse(get, 0, 4)).isEqualTo(PrereadResult.NEED_MORE);
        assertThat(ClientHelloParser.parse(get, 0, 5)).isInstanceOf(PrereadResult.NotTls.class);
        assertThat(((PrereadResult.NotTls) ClientHelloParser.parse(get, 0, get.length)).reason())
                .contains("not a handshake record");
    }

    @Test
    void otherRecordVersionsAndHandshakeTypesAreNotTls() {
        assertThat(ClientHelloParser.parse(HEX.parseHex("1602010000"), 0, 5)).isInstanceOf(PrereadResult.NotTls.class);
        byte[] serverHello = HEX.parseHex("160303000402000000");
        assertThat(ClientHelloParser.parse(serverHello, 0, serverHello.length))
                .isEqualTo(new PrereadResult.NotTls("not a ClientHello (handshake type 2)"));
    }

    @Test
    void anSslV2StyleHelloIsCompleteAsItIs() {
        byte[] v2 = HEX.parseHex("802e0103010015");
        assertThat(ClientHelloParser.parse(v2, 0, v2.length)).isEqualTo(hello(0x0301, "", ""));
        assertThat(hello(0x0002, "", "").hello().protocol()).isEqualTo("SSLv2");
    }

    @Test
    void anEmptyAlpnNameOrAServerNameOfAnotherTypeDeclinesTheHello() {
        assertThat(parse(record(helloBody(ext(16, bytes(0, 3, 2, 'h', '2', 0)))))).isInstanceOf(PrereadResult.NotTls.class);
        assertThat(parse(record(helloBody(ext(0, bytes(0, 4, 1, 0, 1, 'x')))))).isInstanceOf(PrereadResult.NotTls.class);
    }

    @Test
    void onlyTheFirstServerNameAndAlpnExtensionsCount() {
        byte[] body = helloBody(concat(ext(0, sni("first")), ext(0, sni("second")), ext(16, alpn("a")),
                ext(16, alpn("b"))));
        assertThat(parse(record(body))).isEqualTo(hello(0x0303, "first", "a"));
    }

    @Test
    void aHelloWithoutExtensionsHasEmptyValues() {
        assertThat(parse(record(helloBody(null)))).isEqualTo(hello(0x0303, "", ""));
    }

    @Test
    void lengthsThatDisagreeAreNotTls() {
        byte[] sniTooLong = ext(0, bytes(0, 8, 0, 0, 9, 'a', 'b', 'c', 'd', 'e'));
        assertThat(parse(record(helloBody(sniTooLong)))).isInstanceOf(PrereadResult.NotTls.class);
        byte[] truncatedExtension = concat(bytes(0, 0, 0, 9), "ab".getBytes(StandardCharsets.US_ASCII));
        assertThat(parse(record(helloBody(truncatedExtension)))).isInstanceOf(PrereadResult.NotTls.class);
        // The session id claims more than the message has.
        byte[] body = helloBody(null);
        body[4 + 2 + 32] = (byte) 0xFF;
        assertThat(parse(record(body))).isInstanceOf(PrereadResult.NotTls.class);
    }

    @Test
    void aServerNameKeepsItsBytesAsTheyCame() {
        byte[] name = {'a', (byte) 0xE9, '"', 0x01};
        assertThat(((PrereadResult.Hello) parse(record(helloBody(ext(0, sni(name)))))).hello().serverName())
                .isEqualTo("a\u00e9\"\u0001");
    }

    @Test
    void seededMutationsNeverThrowAndNeverClaimMoreThanTheyHave() throws Exception {
        Random random = new Random(20261127L);
        List<byte[]> seeds = List.of(fixture("openssl-sni-alpn"), fixture("openssl-nosni"), fixture("openssl-tls12"),
                JdkClientHello.of("m.example", List.of("h2"), "TLSv1.3"));
        int hellos = 0;
        int declined = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            PrereadResult whole = ClientHelloParser.parse(input, 0, input.length);
            if (whole instanceof PrereadResult.Hello) {
                hellos++;
            } else if (whole instanceof PrereadResult.NotTls) {
                declined++;
            }
            // A decision once made stays made as more bytes come.
            int cut = random.nextInt(input.length + 1);
            PrereadResult prefix = ClientHelloParser.parse(input, 0, cut);
            if (!(prefix instanceof PrereadResult.NeedMore)) {
                assertThat(whole).as("input %s cut at %d", HEX.formatHex(input), cut).isEqualTo(prefix);
            }
        }
        assertThat(hellos).as("the mutations still reach complete hellos").isGreaterThan(1_000);
        assertThat(declined).as("and declined ones").isGreaterThan(500);
    }

    @Test
    void randomBytesAreAlwaysJudged() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] input = new byte[random.nextInt(300)];
            random.nextBytes(input);
            if (input.length > 0 && random.nextBoolean()) {
                input[0] = 0x16;
            }
            assertThat(ClientHelloParser.parse(input, 0, input.length)).isNotNull();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static PrereadResult parse(byte[] in) {
        return ClientHelloParser.parse(in, 0, in.length);
    }

    private static PrereadResult.Hello hello(int version, String name, String alpn) {
        return new PrereadResult.Hello(new ClientHello(version, name, alpn));
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = ClientHelloParserTest.class.getResourceAsStream("/preread/" + name + ".hex")) {
            return HEX.parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(5)) {
            case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> {
                int at = 5 + random.nextInt(b.length - 5);
                b[at] = (byte) (b[at] ^ (1 << random.nextInt(8)));
            }
            case 3 -> b = JdkClientHello.resplit(b, 1 + random.nextInt(200));
            default -> { } // the seed as it is
        }
        return b;
    }

    /** A ClientHello handshake message, TLS 1.2, with {@code extensions} (null: no extensions block). */
    private static byte[] helloBody(byte[] extensions) {
        byte[] fixed = concat(bytes(3, 3), new byte[32], bytes(0), bytes(0, 2, 0x13, 0x01), bytes(1, 0));
        byte[] body = extensions == null ? fixed
                : concat(fixed, bytes(extensions.length >> 8, extensions.length & 0xFF), extensions);
        return concat(bytes(1, 0, body.length >> 8, body.length & 0xFF), body);
    }

    private static byte[] ext(int type, byte[] data) {
        return concat(bytes(type >> 8, type & 0xFF, data.length >> 8, data.length & 0xFF), data);
    }

    private static byte[] sni(String name) {
        return sni(name.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sni(byte[] name) {
        int list = name.length + 3;
        return concat(bytes(list >> 8, list & 0xFF, 0, name.length >> 8, name.length & 0xFF), name);
    }

    private static byte[] alpn(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        return concat(bytes(0, n.length + 1, n.length), n);
    }

    private static byte[] record(byte[] handshake) {
        return concat(bytes(0x16, 3, 1, handshake.length >> 8, handshake.length & 0xFF), handshake);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}

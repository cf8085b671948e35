package dev.proxyline.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an {@code ssl_dhparam} file at startup, as nginx does: it must hold PEM DH parameters (PKCS#3, what
 * {@code openssl dhparam} writes). Neither engine takes the parameters themselves (see {@link HandshakeOptions}).
 */
final class DhParamFile {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (?:X9\\.42 )?DH PARAMETERS-----\\s*([A-Za-z0-9+/=\\s]+?)-----END (?:X9\\.42 )?DH PARAMETERS-----");

    private DhParamFile() {
    }

    /** Fails with the file's problem unless it holds DH parameters. */
    static void check(PemFile file) throws TlsSetupException {
        String text;
        try {
            text = Files.readString(file.path(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsSetupException(java.util.List.of(
                    file.problem("cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
        }
        Matcher m = PEM.matcher(text);
        if (!m.find()) throw new TlsSetupException(java.util.List.of(file.problem("no PEM DH parameters in it")));
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            primeBits(der);
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(java.util.List.of(file.problem("not PEM DH parameters (" + e.getMessage() + ")")));
        }
    }

    /** DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER, ... }: the bit length of the prime. */
    private static int primeBits(byte[] der) {
        int[] at = {0};
        expect(der, at, 0x30);
        length(der, at);
        expect(der, at, 0x02);
        int n = length(der, at);
        if (n <= 0 || at[0] + n > der.length) throw new IllegalArgumentException("truncated prime");
        return new java.math.BigInteger(1, java.util.Arrays.copyOfRange(der, at[0], at[0] + n)).bitLength();
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) throw new IllegalArgumentException("bad DER structure");
        at[0]++;
    }

    private static int length(byte[] der, int[] at) {
        if (at[0] >= der.length) throw new IllegalArgumentException("truncated DER");
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) return first;
        int bytes = first & 0x7f;
        if (bytes == 0 || bytes > 3 || at[0] + bytes > der.length) throw new IllegalArgumentException("bad DER length");
        int n = 0;
        for (int i = 0; i < bytes; i++) n = (n << 8) | (der[at[0]++] & 0xff);
        return n;
    }
}

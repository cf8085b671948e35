package dev.proxyline.server.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.codec.digest.UnixCrypt;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The password schemes of an htpasswd line as nginx 1.22 on Linux checks them ({@code ngx_crypt}): {@code {PLAIN}},
 * {@code {SHA}} (base64 SHA-1), {@code {SSHA}} (base64 SHA-1 of password and salt, then the salt), {@code $apr1$}
 * (Apache MD5), and what it hands to crypt(3): {@code $1$} (MD5), {@code $5$} / {@code $6$} (SHA-256/512, with
 * {@code rounds=}), traditional DES and bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}: {@code htpasswd -B}, which
 * Debian's crypt(3), libxcrypt, reads). The schemes only libxcrypt has besides ({@code $y$} yescrypt, {@code $2x$}
 * ...) are reported as unsupported, and never match. Passwords and hashes are byte strings (one char per byte);
 * results are compared in constant time.
 */
public final class PasswordSchemes {
    /** What checking a password against a stored hash found. */
    public enum Verdict {
        MATCH,
        MISMATCH,
        /** A scheme nginx's crypt(3) knows and proxyline does not: refused, and worth a log line. */
        UNSUPPORTED
    }

    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int SHA1_LENGTH = 20;

    private PasswordSchemes() {}

    public static Verdict check(String password, String hash) {
        byte[] key = password.getBytes(StandardCharsets.ISO_8859_1);
        try {
            if (hash.startsWith("{PLAIN}")) return same(password, hash.substring(7));
            if (hash.startsWith("{SHA}")) return same(base64(sha1(key, new byte[0])), hash.substring(5));
            if (hash.startsWith("{SSHA}")) return ssha(key, hash.substring(6));
            if (hash.startsWith("$apr1$")) return same(Md5Crypt.apr1Crypt(key, hash), hash);
            if (hash.startsWith("$1$")) return same(Md5Crypt.md5Crypt(key, hash), hash);
            if (hash.startsWith("$5$")) return same(Sha2Crypt.sha256Crypt(key, hash), hash);
            if (hash.startsWith("$6$")) return same(Sha2Crypt.sha512Crypt(key, hash), hash);
            if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
                // Bouncy Castle's OpenBSD bcrypt: the password's bytes as they came (the first 72), compared in
                // constant time; the three prefixes are one algorithm for libxcrypt too.
                return OpenBSDBCrypt.checkPassword(hash, key) ? Verdict.MATCH : Verdict.MISMATCH;
            }
        } catch (IllegalArgumentException | DataLengthException malformed) {
            return Verdict.MISMATCH; // a salt crypt(3) refuses: its failure never equals the stored hash
        }
        if (hash.startsWith("$") || hash.startsWith("_")) return Verdict.UNSUPPORTED;
        if (hash.length() < 2 || SALT_CHARS.indexOf(hash.charAt(0)) < 0 || SALT_CHARS.indexOf(hash.charAt(1)) < 0) {
            return Verdict.MISMATCH; // not a DES hash either: crypt(3) fails, as for an empty password field
        }
        return same(UnixCrypt.crypt(key, hash.substring(0, 2)), hash);
    }

    /** {@code {SSHA}}: the stored bytes are the digest of password and salt, then the salt. */
    private static Verdict ssha(byte[] key, String encoded) {
        byte[] stored;
        try {
            stored = Base64.getDecoder().decode(encoded.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException invalid) {
            return Verdict.MISMATCH;
        }
        if (stored.length < SHA1_LENGTH) return Verdict.MISMATCH;
        byte[] digest = sha1(key, Arrays.copyOfRange(stored, SHA1_LENGTH, stored.length));
        return MessageDigest.isEqual(digest, Arrays.copyOf(stored, SHA1_LENGTH)) ? Verdict.MATCH : Verdict.MISMATCH;
    }

    private static Verdict same(String computed, String stored) {
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.ISO_8859_1),
                stored.getBytes(StandardCharsets.ISO_8859_1)) ? Verdict.MATCH : Verdict.MISMATCH;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] sha1(byte[] key, byte[] salt) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key);
            sha1.update(salt);
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}

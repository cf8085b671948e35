package dev.proxyline.server.http.auth;

import static dev.proxyline.server.http.auth.PasswordSchemes.Verdict.MATCH;
import static dev.proxyline.server.http.auth.PasswordSchemes.Verdict.MISMATCH;
import static dev.proxyline.server.http.auth.PasswordSchemes.Verdict.UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Hashes made by {@code openssl passwd}, glibc's crypt(3) and the htpasswd formulas, checked as nginx checks them. */
class PasswordSchemesTest {
    /** "pa:ss wörd" in UTF-8, as a byte string: what the decoded Authorization field holds. */
    private static final String UTF8_PASSWORD =
            new String("pa:ss wörd".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

    @Test
    void plainIsComparedAsItStands() {
        assertThat(PasswordSchemes.check("secret", "{PLAIN}secret")).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("secret", "{PLAIN}Secret")).isEqualTo(MISMATCH);
        assertThat(PasswordSchemes.check("", "{PLAIN}")).isEqualTo(MATCH);
    }

    @Test
    void shaIsTheBase64OfTheSha1() throws Exception {
        String sha = "{SHA}" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest("secret".getBytes(StandardCharsets.US_ASCII)));
        assertThat(sha).isEqualTo("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=");
        assertThat(PasswordSchemes.check("secret", sha)).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("secreT", sha)).isEqualTo(MISMATCH);
    }

    @Test
    void saltedShaDigestsThePasswordWithTheSaltAfterTheDigest() {
        // base64(sha1("secret" + "salt1234") + "salt1234")
        String ssha = "{SSHA}Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA==";
        assertThat(PasswordSchemes.check("secret", ssha)).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("secret1", ssha)).isEqualTo(MISMATCH);
        assertThat(PasswordSchemes.check("secret", "{SSHA}c2hvcnQ=")).isEqualTo(MISMATCH); // shorter than a digest
        assertThat(PasswordSchemes.check("secret", "{SSHA}!!")).isEqualTo(MISMATCH);
    }

    @Test
    void apacheMd5() {
        assertThat(PasswordSchemes.check(UTF8_PASSWORD, "$apr1$RTsDzqE0$6lU9xb1/eVftxRs3IrEZC1")).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("pa:ss word", "$apr1$RTsDzqE0$6lU9xb1/eVftxRs3IrEZC1")).isEqualTo(MISMATCH);
    }

    @Test
    void cryptMd5AndSha2() {
        assertThat(PasswordSchemes.check(UTF8_PASSWORD, "$1$BeGaTs8p$wJ2q7qGJtt1N13.FhDmRj.")).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check(UTF8_PASSWORD,
                "$5$t9fO1CPiNKEUOeKH$4my.kdfx/AIlpAj8rNq.f2/.VP1vZbAbWqmLmYBFtf4")).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check(UTF8_PASSWORD, "$6$C2n20rCRUHXrd.y3$mMvlxxLqNZ0sJBq9eqESkhvtk/390Kf..LN4boDjLd"
                + ".IsHzY2LBZHJGhwbgcZ5Oq.KWTNrLb/4V63P/pgMkx40")).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("secret", "$5$rounds=5000$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA"))
                .isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("secret", "$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKP"
                + "PrVACtLtip/cZ/1GM/O6IND4WQhG.")).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("secret", "$1$BeGaTs8p$wJ2q7qGJtt1N13.FhDmRj.")).isEqualTo(MISMATCH);
        assertThat(PasswordSchemes.check("secret", "$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKP"
                + "PrVACtLtip/cZ/1GM/O6IND4WQhG")).isEqualTo(MISMATCH); // one character short
        assertThat(PasswordSchemes.check("secret", "$5$")).isEqualTo(MISMATCH); // no salt: crypt(3) fails
    }

    @Test
    void traditionalDesUsesTheFirstEightBytesAsCryptDoes() {
        assertThat(PasswordSchemes.check("secret", "abNANd1rDfiNc")).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("secret1", "abNANd1rDfiNc")).isEqualTo(MISMATCH);
        // crypt("secret12345", "ab"): only "secret12" counts
        assertThat(PasswordSchemes.check("secret12xyz", "abhv/ZnAzL36k")).isEqualTo(MATCH);
    }

    @Test
    void whatCryptCannotReadNeverMatches() {
        assertThat(PasswordSchemes.check("secret", "")).isEqualTo(MISMATCH);
        assertThat(PasswordSchemes.check("secret", "*locked")).isEqualTo(MISMATCH);
        assertThat(PasswordSchemes.check("secret", "secret")).isEqualTo(MISMATCH); // a plain text is no hash
    }

    @Test
    void bcryptInItsThreePrefixes() {
        // htpasswd -nbB alice 'pa:ss wörd' (apache2-utils 2.4 on Debian 12)
        assertThat(PasswordSchemes.check(UTF8_PASSWORD, "$2y$05$eTYE//uwv/TAqQvm2gBEmui8u7rtMRzqFt/KwHYhiJTW33d7T9hhq"))
                .isEqualTo(MATCH);
        // libxcrypt's crypt(3), as nginx on Debian 12 calls it: crypt("pa:ss wörd", "$2a$04$ABCDEFGHIJKLMNOPQRSTUu")
        assertThat(PasswordSchemes.check(UTF8_PASSWORD, "$2a$04$ABCDEFGHIJKLMNOPQRSTUuRrM0c2mTsiKPg/R/T6PqXJnGPJ8SDnW"))
                .isEqualTo(MATCH);
        // crypt("secret", "$2b$05$abcdefghijklmnopqrstuu"): the three prefixes are one algorithm
        String secret = "abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a";
        for (String prefix : new String[] {"$2a$05$", "$2b$05$", "$2y$05$"}) {
            assertThat(PasswordSchemes.check("secret", prefix + secret)).isEqualTo(MATCH);
            assertThat(PasswordSchemes.check("Secret", prefix + secret)).isEqualTo(MISMATCH);
        }
        // OpenBSD's vector for the empty password, as jBCrypt's tests carry it
        assertThat(PasswordSchemes.check("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."))
                .isEqualTo(MATCH);
        // Only the first 72 bytes count: crypt("x" * 80, "$2b$04$abcdefghijklmnopqrstuu")
        String long80 = "$2b$04$abcdefghijklmnopqrstuubzadhGtS2zEF.gu0yd0opP6cVzb.e0i";
        assertThat(PasswordSchemes.check("x".repeat(80), long80)).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("x".repeat(72), long80)).isEqualTo(MATCH);
        assertThat(PasswordSchemes.check("x".repeat(71), long80)).isEqualTo(MISMATCH);
    }

    @Test
    void aBcryptHashCryptCannotReadNeverMatches() {
        assertThat(PasswordSchemes.check("secret", "$2y$05$short")).isEqualTo(MISMATCH);
        assertThat(PasswordSchemes.check("secret", "$2y$99$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a"))
                .isEqualTo(MISMATCH); // cost out of range
        assertThat(PasswordSchemes.check("secret", "$2y$05$!bcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a"))
                .isEqualTo(MISMATCH); // not bcrypt's base64
        assertThat(PasswordSchemes.check("secret", "$2y$5$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0aa"))
                .isEqualTo(MISMATCH);
    }

    @Test
    void libxcryptSchemesBeyondThoseAreReportedUnsupported() {
        // crypt("secret", "$y$j9T$abcdefghijklmnop$") and "$2x$05$...": yescrypt and the bug-compatible bcrypt
        assertThat(PasswordSchemes.check("secret", "$y$j9T$abcdefghijklmnop$3dL1LkYnZM.OVXuVdnnaKVDlLYT92dRwOzDZ5XiVCe."))
                .isEqualTo(UNSUPPORTED);
        assertThat(PasswordSchemes.check("secret", "$2x$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a"))
                .isEqualTo(UNSUPPORTED);
    }
}

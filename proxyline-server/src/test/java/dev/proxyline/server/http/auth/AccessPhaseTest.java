package dev.proxyline.server.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.AccessRules;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** allow/deny and auth_basic joined by satisfy, with the statuses and log lines nginx 1.22 gives. */
class AccessPhaseTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final AccessRules ALLOW_ALL =
            new AccessRules(List.of(new AccessRules.Rule(true, new AccessRules.Everyone())));
    private static final AccessRules DENY_ALL =
            new AccessRules(List.of(new AccessRules.Rule(false, new AccessRules.Everyone())));
    private static final Supplier<SessionSnapshot> NO_VARIABLES = () -> {
        throw new AssertionError("a constant realm needs no variables");
    };
    private static final AccessPhase.Challenge ASKED =
            new AccessPhase.Challenge("Basic realm=\"Staff \"only\"\"",
                    "no user/password was provided for basic authentication"); // nginx logs it at info

    @TempDir
    Path directory;
    private Path file;

    @BeforeEach
    void users() throws Exception {
        file = directory.resolve("htpasswd");
        Files.writeString(file, "alice:{PLAIN}secret\nbob:$y$j9T$abcdefghijklmnop$3dL1LkYnZM.OVXuVdnnaKVDlLYT92dRwOzDZ5XiVCe.\n");
    }

    private AccessPhase phase(boolean any, String realm) {
        return new AccessPhase(Template.literal(realm), new PasswordFile(file), any);
    }

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static AccessPhase.Verdict check(AccessPhase phase, AccessRules rules, String authorization) {
        return phase.check(rules, CLIENT, authorization.isEmpty() ? List.of() : List.of(authorization), NO_VARIABLES);
    }

    @Test
    void credentialsAreAskedForCheckedAndLogged() {
        AccessPhase all = phase(false, "Staff \"only\"");
        assertThat(check(all, AccessRules.NONE, "")).isEqualTo(ASKED);
        assertThat(check(all, AccessRules.NONE, "Bearer abc")).isEqualTo(ASKED);
        assertThat(check(all, AccessRules.NONE, "Basic !!!")).isEqualTo(ASKED);
        assertThat(check(all, AccessRules.NONE, basic("alice:secret"))).isInstanceOf(AccessPhase.Pass.class);
        assertThat(check(all, AccessRules.NONE, "basic   " + basic("alice:secret").substring(6)))
                .isInstanceOf(AccessPhase.Pass.class);
        assertThat(check(all, AccessRules.NONE, basic("alice:wrong"))).isEqualTo(new AccessPhase.Challenge(
                ASKED.header(), "user \"alice\": password mismatch"));
        assertThat(check(all, AccessRules.NONE, basic("carol:secret"))).isEqualTo(new AccessPhase.Challenge(
                ASKED.header(), "user \"carol\" was not found in \"" + file + "\""));
        assertThat(check(all, AccessRules.NONE, basic("bob:secret"))).isEqualTo(new AccessPhase.Challenge(
                ASKED.header(), "user \"bob\": password scheme not supported by proxyline (yescrypt ...)"));
    }

    @Test
    void satisfyAllRefusesADeniedClientBeforeAskingForCredentials() {
        AccessPhase all = phase(false, "Staff \"only\"");
        AccessPhase.Refuse refused = new AccessPhase.Refuse(403, Optional.of("access forbidden by rule"));
        assertThat(check(all, DENY_ALL, "")).isEqualTo(refused);
        assertThat(check(all, DENY_ALL, basic("alice:secret"))).isEqualTo(refused);
        assertThat(check(all, ALLOW_ALL, "")).isEqualTo(ASKED);
    }

    @Test
    void satisfyAnyLetsAnAllowedClientInAndOtherwiseAsks() {
        AccessPhase any = phase(true, "Staff \"only\"");
        assertThat(check(any, ALLOW_ALL, "")).isInstanceOf(AccessPhase.Pass.class);
        assertThat(check(any, DENY_ALL, "")).isEqualTo(ASKED); // the 401 wins over the rules' 403
        assertThat(check(any, DENY_ALL, basic("alice:secret"))).isInstanceOf(AccessPhase.Pass.class);
        assertThat(check(any, AccessRules.NONE, "")).isEqualTo(ASKED); // no rules decide nothing
    }

    @Test
    void aRealmOfOffAsksNothingButLeavesTheRulesTheirSay() {
        assertThat(check(phase(false, "off"), AccessRules.NONE, "")).isInstanceOf(AccessPhase.Pass.class);
        assertThat(check(phase(true, "off"), DENY_ALL, "")).isEqualTo(new AccessPhase.Refuse(403, Optional.empty()));
    }

    @Test
    void aMissingFileIs403AndAnUnreadableOne500() throws Exception {
        Files.delete(file);
        AccessPhase all = phase(false, "r");
        assertThat(check(all, AccessRules.NONE, basic("alice:secret"))).isEqualTo(new AccessPhase.Refuse(403,
                Optional.of("open() \"" + file + "\" failed (2: No such file or directory)")));
        assertThat(check(all, AccessRules.NONE, "")).isInstanceOf(AccessPhase.Challenge.class); // not read yet
        Files.createDirectory(file);
        assertThat(check(all, AccessRules.NONE, basic("alice:secret"))).isInstanceOf(AccessPhase.Refuse.class)
                .extracting(v -> ((AccessPhase.Refuse) v).status()).isEqualTo(500);
    }
}

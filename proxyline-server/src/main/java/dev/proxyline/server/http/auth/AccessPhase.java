package dev.proxyline.server.http.auth;

import dev.proxyline.config.AccessRules;
import dev.proxyline.server.variables.BasicCredentials;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * nginx's access phase for a location with {@code auth_basic}: {@code allow}/{@code deny} and the credentials, joined
 * by {@code satisfy}. With {@code all} (the default) a denied client gets 403 before any credentials are asked for;
 * with {@code any} an allowed client needs none, and where both fail a 401 wins over the rules' 403, as in nginx's
 * {@code ngx_http_core_access_phase}.
 *
 * @param realm the {@code auth_basic} text; rendered {@code off}, nothing is asked, as nginx's
 * @param file  the {@code auth_basic_user_file}
 * @param any   {@code satisfy any}
 */
public record AccessPhase(Template realm, PasswordFile file, boolean any) {
    /** What the phase decided. */
    public sealed interface Verdict permits Pass, Challenge, Refuse {
    }

    /** The request goes on. */
    public record Pass() implements Verdict {
    }

    /**
     * 401 with {@code WWW-Authenticate: Basic realm="REALM"} (the realm as rendered, unescaped, as nginx writes it).
     *
     * @param log why, for the error log, in nginx's words
     */
    public record Challenge(String header, String log) implements Verdict {
    }

    /** nginx's line (at info) for a request without usable credentials: none, another scheme, bad base64, no colon. */
    private static final String NO_CREDENTIALS = "no user/password was provided for basic authentication";

    /**
     * 403 (denied, or no user file) or 500 (the user file unreadable); {@code log} empty where nginx logs nothing.
     */
    public record Refuse(int status, Optional<String> log) implements Verdict {
    }

    private static final Pass PASS = new Pass();

    public AccessPhase {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(file, "file");
    }

    /**
     * @param authorization the request's Authorization field as received, if it has one (a head with two was refused
     *                      before, as nginx refuses it while reading it)
     * @param now           the request's variables, taken only for a realm with variables
     */
    public Verdict check(AccessRules rules, SocketAddress client, List<String> authorization,
                         Supplier<SessionSnapshot> now) {
        boolean denied = !rules.isEmpty() && !rules.admits(client);
        if (!any && denied) return new Refuse(403, Optional.of("access forbidden by rule"));
        if (any && !rules.isEmpty() && !denied) return PASS;
        Optional<Verdict> auth = credentials(authorization.isEmpty() ? "" : authorization.get(0), now);
        // Declined (the realm rendered "off"): with satisfy any the rules' 403 stands, silently as nginx's. Otherwise
        // the credentials decide: a 401 replaces the rules' 403, a 403 or 500 of the user file stands.
        if (auth.isEmpty()) return denied ? new Refuse(403, Optional.empty()) : PASS;
        return auth.get();
    }

    /** Empty where auth_basic declines, as nginx's with a realm that rendered {@code off}. */
    private Optional<Verdict> credentials(String authorization, Supplier<SessionSnapshot> now) {
        String text = realm.value(now);
        if (text.equals("off")) return Optional.empty();
        Optional<BasicCredentials> credentials = BasicCredentials.parse(authorization);
        String header = "Basic realm=\"" + text + "\"";
        return Optional.of(credentials.isEmpty() ? new Challenge(header, NO_CREDENTIALS)
                : verify(credentials.get(), header));
    }

    private Verdict verify(BasicCredentials credentials, String header) {
        String user = credentials.user();
        PasswordFile.Lookup found = file.find(user);
        if (found instanceof PasswordFile.Missing missing) return new Refuse(403, Optional.of(missing.log()));
        if (found instanceof PasswordFile.Unreadable unreadable) return new Refuse(500, Optional.of(unreadable.log()));
        if (!(found instanceof PasswordFile.Found line)) {
            return new Challenge(header, "user \"" + user + "\" was not found in \"" + file.path() + "\"");
        }
        PasswordSchemes.Verdict verdict = PasswordSchemes.check(credentials.password(), line.hash());
        if (verdict == PasswordSchemes.Verdict.MATCH) return PASS;
        return new Challenge(header, verdict == PasswordSchemes.Verdict.UNSUPPORTED
                ? "user \"" + user + "\": password scheme not supported by proxyline (yescrypt ...)"
                : "user \"" + user + "\": password mismatch");
    }
}

package dev.proxyline.server.http.proxy;

import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * nginx's {@code proxy_cookie_domain}, {@code proxy_cookie_path} and {@code proxy_cookie_flags}: in each Set-Cookie of
 * an upstream response, the values of the {@code Domain} and {@code Path} attributes are rewritten by the first rule
 * of their list that matches, then the cookie's flags are set as the first {@code proxy_cookie_flags} line for its
 * name asks.
 */
final class CookieRewrite {
    private static final RedirectRewrite.Rule[] NO_RULES = new RedirectRewrite.Rule[0];

    private final RedirectRewrite.Rule[] domains;
    private final RedirectRewrite.Rule[] paths;
    private final CookieFlags flags;

    /** @param flags the {@code proxy_cookie_flags} lines, none for none */
    CookieRewrite(List<RedirectRewrite.Rule> domains, List<RedirectRewrite.Rule> paths, List<CookieFlags.Line> flags) {
        this.domains = domains.toArray(new RedirectRewrite.Rule[0]);
        this.paths = paths.toArray(new RedirectRewrite.Rule[0]);
        this.flags = flags.isEmpty() ? null : new CookieFlags(flags);
    }

    /** Rewrites the Set-Cookie fields of {@code headers} in place. */
    void upstream(HttpHeaders headers, Supplier<SessionSnapshot> request) {
        List<String> all = headers.getAll(HttpHeaderNames.SET_COOKIE);
        List<String> out = new ArrayList<>(all.size());
        boolean changed = false;
        for (String value : all) {
            String rewritten = rewrite(value, request);
            changed |= !rewritten.equals(value);
            out.add(rewritten);
        }
        if (changed) headers.set(HttpHeaderNames.SET_COOKIE, out);
    }

    /**
     * {@code cookie} with its attributes rewritten, or itself. As nginx: the cookie is read as {@code ;}-separated
     * attributes, spaces around names and values dropped; every {@code Domain} and {@code Path} attribute (any case)
     * with a value goes through its rules; then the flags of the first {@code proxy_cookie_flags} line for its name
     * that names any; a cookie without {@code =} in its first part is left alone. Once a rule or a flags line applied
     * (even one that changed nothing), the field is written anew from the attributes, joined by {@code "; "}.
     */
    String rewrite(String cookie, Supplier<SessionSnapshot> request) {
        List<String[]> attributes = attributes(cookie);
        if (attributes.get(0)[1] == null) return cookie;
        boolean changed = false;
        for (int i = 1; i < attributes.size(); i++) {
            String[] attribute = attributes.get(i);
            if (attribute[1] == null) continue;
            RedirectRewrite.Rule[] rules = attribute[0].equalsIgnoreCase("domain") ? domains
                    : attribute[0].equalsIgnoreCase("path") ? paths : NO_RULES;
            for (RedirectRewrite.Rule rule : rules) {
                String rewritten = rule.rewrite(attribute[1], request);
                if (rewritten != null) {
                    attribute[1] = rewritten;
                    changed = true;
                    break;
                }
            }
        }
        int mask = flags == null ? 0 : flags.maskFor(attributes.get(0)[0], request);
        if (mask != 0) {
            CookieFlags.apply(attributes, mask);
            changed = true;
        }
        if (!changed) return cookie;
        StringBuilder out = new StringBuilder(cookie.length() + 16);
        for (int i = 0; i < attributes.size(); i++) {
            String[] attribute = attributes.get(i);
            if (attribute[0] == null) continue; // dropped by a flag
            if (i > 0) out.append("; ");
            out.append(attribute[0]);
            if (attribute[1] != null) out.append('=').append(attribute[1]);
        }
        return out.toString();
    }

    /** Each attribute as {name, value}, the value null without {@code =}. */
    private static List<String[]> attributes(String cookie) {
        List<String[]> out = new ArrayList<>(4);
        int start = 0;
        while (true) {
            int last = cookie.indexOf(';', start);
            if (last < 0) last = cookie.length();
            int eq = cookie.indexOf('=', start);
            if (eq < 0 || eq > last) {
                out.add(new String[] {trim(cookie, start, last), null});
            } else {
                out.add(new String[] {trim(cookie, start, eq), trim(cookie, eq + 1, last)});
            }
            if (last == cookie.length()) return out;
            start = last + 1;
        }
    }

    /** The text between {@code from} and {@code to} without the spaces (only spaces, as nginx) at either end. */
    private static String trim(String s, int from, int to) {
        while (from < to && s.charAt(from) == ' ') from++;
        while (to > from && s.charAt(to - 1) == ' ') to--;
        return s.substring(from, to);
    }

    /** nginx's text rule of {@code proxy_cookie_domain}: the whole domain without case, a leading dot kept. */
    record Domain(Template domain, Template replacement) implements RedirectRewrite.Rule {
        Domain {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(replacement, "replacement");
        }

        @Override
        public String rewrite(String value, Supplier<SessionSnapshot> request) {
            String dot = value.startsWith(".") ? "." : "";
            String wanted = domain.value(request);
            if (!value.substring(dot.length()).equalsIgnoreCase(wanted)) return null;
            return dot + replacement.value(request);
        }
    }
}

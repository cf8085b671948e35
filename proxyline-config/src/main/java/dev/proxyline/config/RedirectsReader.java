package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@link Redirects} of a level, with nginx's checks and its merging of {@code proxy_redirect},
 * {@code proxy_cookie_domain} and {@code proxy_cookie_path}.
 */
final class RedirectsReader {
    /** The flags nginx knows in {@code proxy_cookie_flags}, compared without case. */
    private static final List<String> COOKIE_FLAGS = List.of("secure", "nosecure", "httponly", "nohttponly",
            "samesite=strict", "samesite=lax", "samesite=none", "nosamesite");

    private final ArgReader r;

    RedirectsReader(ArgReader r) {
        this.r = r;
    }

    /** @param location the location's match, empty at the http and server levels */
    Redirects read(Scope s, Optional<LocationMatch> location) {
        return new Redirects(flag(s, "absolute_redirect", true), flag(s, "server_name_in_redirect", false),
                flag(s, "port_in_redirect", true), proxyRedirects(s, location), cookies(s, "proxy_cookie_domain"),
                cookies(s, "proxy_cookie_path"), cookieFlags(s));
    }

    /**
     * {@code proxy_cookie_flags}, as nginx merges it: the nearest level with lines decides; {@code off} alone (and
     * only alone at its level) cancels them. A flag nginx does not know is ignored, as nginx does, with a warning.
     */
    private List<Redirects.CookieFlags> cookieFlags(Scope s) {
        List<Directive> lines = s.all("proxy_cookie_flags");
        boolean local = !s.local("proxy_cookie_flags").isEmpty();
        boolean off = lines.stream().anyMatch(d -> d.args().size() == 1 && d.arg(0).value().equals("off"));
        if (off && lines.size() > 1 && local) {
            r.error(lines.get(1), "\"proxy_cookie_flags\" directive is duplicate (\"off\" must stand alone)");
        }
        List<Redirects.CookieFlags> rules = new ArrayList<>();
        for (Directive d : lines) {
            String cookie = d.arg(0).value();
            if (d.args().size() == 1) {
                if (!cookie.equals("off") && local) {
                    r.error(d.arg(0), "invalid parameter \"" + cookie + "\" in \"proxy_cookie_flags\" directive "
                            + "(expected off, or a cookie and its flags)");
                }
                continue;
            }
            List<String> flags = new ArrayList<>();
            for (Argument a : d.args().subList(1, d.args().size())) {
                if (local && !a.hasVariables() && !COOKIE_FLAGS.contains(Ascii.lowerCase(a.value()))) {
                    r.errors().warn(a.position(), "unknown flag \"" + a.value() + "\" in \"proxy_cookie_flags\" is "
                            + "ignored, as nginx ignores it (expected " + String.join(", ", COOKIE_FLAGS) + ")");
                }
                flags.add(a.value());
            }
            boolean regex = cookie.startsWith("~");
            if (regex) {
                try {
                    NginxRegex.compile(cookie.substring(1), Pattern.CASE_INSENSITIVE);
                } catch (PatternSyntaxException e) {
                    if (local) {
                        r.error(d.arg(0), "invalid regex \"" + cookie.substring(1) + "\" in \"proxy_cookie_flags\": "
                                + e.getDescription());
                    }
                    continue;
                }
            }
            rules.add(new Redirects.CookieFlags(regex, regex ? cookie.substring(1) : cookie, flags, d.position()));
        }
        return off ? List.of() : rules;
    }

    /**
     * {@code proxy_cookie_domain} or {@code proxy_cookie_path}, merged as nginx: the nearest level with lines decides,
     * an {@code off} among them cancels them all (those after it are not checked). A domain's regex is always
     * without case, and a leading dot of a domain and its replacement is dropped, as nginx does.
     */
    private List<Redirects.ProxyRedirect> cookies(Scope s, String name) {
        boolean local = !s.local(name).isEmpty();
        boolean domain = name.equals("proxy_cookie_domain");
        List<Redirects.ProxyRedirect> rules = new ArrayList<>();
        for (Directive d : s.all(name)) {
            if (d.args().size() == 1) {
                if (d.arg(0).value().equals("off")) return List.of();
                if (local) r.error(d.arg(0), "invalid parameter \"" + d.arg(0).value() + "\" in \"" + name
                        + "\" directive (expected off, or a value and its replacement)");
            } else if (domain && !d.arg(0).value().startsWith("~")) {
                rules.add(new Redirects.ProxyRedirect(Redirects.ProxyRedirect.Kind.DOMAIN,
                        withoutDot(d.arg(0).value()), withoutDot(d.arg(1).value()), d.position()));
            } else if (domain) {
                regex(d, d.arg(0).value().substring(1), true, local).ifPresent(rules::add);
            } else {
                rule(d, local).ifPresent(rules::add);
            }
        }
        return rules;
    }

    private static String withoutDot(String domain) {
        return domain.startsWith(".") ? domain.substring(1) : domain;
    }

    private boolean flag(Scope s, String name, boolean fallback) {
        return s.get(name).flatMap(d -> r.flag(d, d.arg(0))).orElse(fallback);
    }

    /**
     * nginx's merge: the nearest level with {@code proxy_redirect} lines decides, and an {@code off} among them
     * cancels them all (those after it are not checked); with none anywhere, a location that proxies gets {@code default}.
     */
    private List<Redirects.ProxyRedirect> proxyRedirects(Scope s, Optional<LocationMatch> location) {
        Optional<Directive> proxyPass = s.local("proxy_pass").stream().findFirst();
        List<Directive> lines = s.all("proxy_redirect");
        boolean local = !s.local("proxy_redirect").isEmpty();
        List<Redirects.ProxyRedirect> rules = new ArrayList<>();
        for (Directive d : lines) {
            String first = d.arg(0).value();
            if (d.args().size() == 1) {
                if (first.equals("off")) {
                    return List.of(); // as nginx: the lines after it are not even read
                } else if (first.equals("false")) {
                    if (local) r.errors().warn(d.arg(0).position(), "invalid parameter \"false\", use \"off\" instead");
                    return List.of();
                } else if (!first.equals("default")) {
                    if (local) r.error(d.arg(0), "invalid parameter \"" + first + "\" in \"proxy_redirect\" directive "
                            + "(expected default, off, or a redirect and its replacement)");
                } else if (local && (proxyPass.isEmpty() || before(d.position(), proxyPass.get().position()))) {
                    r.error(d, "\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive");
                } else if (proxyPass.isPresent() && proxyPass.get().arg(0).hasVariables()) {
                    // nginx's default is made from the URL as written, which a URL with variables is not yet.
                    if (local) r.error(d, "\"proxy_redirect default\" cannot be used with \"proxy_pass\" directive "
                            + "with variables");
                } else {
                    proxyPass.ifPresent(p -> rules.add(byDefault(p, location, d.position())));
                }
            } else {
                rule(d, local).ifPresent(rules::add);
            }
        }
        if (lines.isEmpty() && proxyPass.isPresent() && !proxyPass.get().arg(0).hasVariables()) {
            return List.of(byDefault(proxyPass.get(), location, proxyPass.get().position()));
        }
        return rules;
    }

    private static boolean before(Position a, Position b) {
        return a.line() < b.line() || (a.line() == b.line() && a.column() < b.column());
    }

    /**
     * nginx's {@code default}: the {@code proxy_pass} URL as written, replaced by the location's name when the URL
     * has a URI part, else the URL with a slash, replaced by a slash.
     */
    private static Redirects.ProxyRedirect byDefault(Directive proxyPass, Optional<LocationMatch> location,
                                                     Position position) {
        String url = proxyPass.arg(0).value();
        int hostStart = url.indexOf("://") + 3;
        boolean uriPart = hostStart > 2 && url.indexOf('/', hostStart) >= 0;
        return uriPart && location.isPresent()
                ? new Redirects.ProxyRedirect(Redirects.ProxyRedirect.Kind.LITERAL_PREFIX, url,
                        location.get().pattern(), position)
                : new Redirects.ProxyRedirect(Redirects.ProxyRedirect.Kind.LITERAL_PREFIX, url + "/", "/", position);
    }

    /** Errors are reported where the lines are written, not again at each level that inherits them. */
    private Optional<Redirects.ProxyRedirect> rule(Directive d, boolean local) {
        String pattern = d.arg(0).value();
        if (!pattern.startsWith("~")) {
            return Optional.of(new Redirects.ProxyRedirect(Redirects.ProxyRedirect.Kind.PREFIX, pattern,
                    d.arg(1).value(), d.position()));
        }
        boolean caseless = pattern.startsWith("~*");
        return regex(d, pattern.substring(caseless ? 2 : 1), caseless, local);
    }

    private Optional<Redirects.ProxyRedirect> regex(Directive d, String regex, boolean caseless, boolean local) {
        try {
            NginxRegex.compile(regex, caseless ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            if (local) {
                r.error(d.arg(0), "invalid regex \"" + regex + "\" in \"" + d.name() + "\": " + e.getDescription());
            }
            return Optional.empty();
        }
        return Optional.of(new Redirects.ProxyRedirect(caseless ? Redirects.ProxyRedirect.Kind.REGEX_CASELESS
                : Redirects.ProxyRedirect.Kind.REGEX, regex, d.arg(1).value(), d.position()));
    }
}

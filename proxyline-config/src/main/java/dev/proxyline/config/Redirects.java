package dev.proxyline.config;

import java.util.List;
import dev.proxyline.config.Redirects.ProxyRedirect.Kind;
import java.util.Objects;

/**
 * What a level does with the URLs that name this proxy or its upstream: its own answers' Location
 * ({@code absolute_redirect}, default on; {@code server_name_in_redirect}, default off; {@code port_in_redirect},
 * default on), an upstream's Location and Refresh ({@code proxy_redirect}) and the {@code domain=} and {@code path=}
 * of its Set-Cookie ({@code proxy_cookie_domain}, {@code proxy_cookie_path}), with its flags
 * ({@code proxy_cookie_flags}).
 *
 * @param proxyRedirects the {@code proxy_redirect} rules in their order, {@code default} already made the pair nginx
 *                       makes of the location's {@code proxy_pass}; empty for {@code off} or where nothing is proxied
 * @param cookieDomains  the {@code proxy_cookie_domain} rules ({@link Kind#DOMAIN} or {@link Kind#REGEX_CASELESS})
 * @param cookiePaths    the {@code proxy_cookie_path} rules ({@link Kind#PREFIX} or a regex)
 * @param cookieFlags    the {@code proxy_cookie_flags} lines in their order; empty for none or {@code off}
 */
public record Redirects(boolean absolute, boolean serverNameIn, boolean portIn, List<ProxyRedirect> proxyRedirects,
                        List<ProxyRedirect> cookieDomains, List<ProxyRedirect> cookiePaths,
                        List<CookieFlags> cookieFlags) {
    public Redirects {
        proxyRedirects = List.copyOf(proxyRedirects);
        cookieDomains = List.copyOf(cookieDomains);
        cookiePaths = List.copyOf(cookiePaths);
        cookieFlags = List.copyOf(cookieFlags);
    }

    /** Own redirects only, no rules. */
    public Redirects(boolean absolute, boolean serverNameIn, boolean portIn, List<ProxyRedirect> proxyRedirects) {
        this(absolute, serverNameIn, portIn, proxyRedirects, List.of(), List.of(), List.of());
    }

    /**
     * {@code proxy_cookie_flags COOKIE FLAG...}: the flags to set or drop on the cookies named {@code cookie} (without
     * case), or whose name {@code cookie} finds a match in as a regex ({@code ~REGEX}, always without case, as nginx).
     * The name and the flags may hold variables; a flag is {@code secure}, {@code httponly},
     * {@code samesite=strict|lax|none} or their {@code no} forms, in any case (nginx ignores others).
     */
    public record CookieFlags(boolean regex, String cookie, List<String> flags, Position position) {
        public CookieFlags {
            Objects.requireNonNull(cookie, "cookie");
            flags = List.copyOf(flags);
            Objects.requireNonNull(position, "position");
        }
    }

    /**
     * {@code proxy_redirect REDIRECT REPLACEMENT}: a value starting with {@code pattern} gets that start replaced
     * ({@link Kind#PREFIX}, {@link Kind#LITERAL_PREFIX}), or a value a regex finds a match in is replaced whole (its
     * captures usable in {@code replacement}), as nginx does.
     */
    public record ProxyRedirect(Kind kind, String pattern, String replacement, Position position) {
        public enum Kind {
            /** Text that may hold variables, compared case-sensitively. */
            PREFIX,
            /** nginx's {@code default}: the {@code proxy_pass} URL and the location's prefix, taken as written. */
            LITERAL_PREFIX,
            /** {@code ~REGEX}. */
            REGEX,
            /** {@code ~*REGEX}. */
            REGEX_CASELESS,
            /**
             * {@code proxy_cookie_domain}'s text: the whole domain, without case and without a leading dot (which
             * nginx keeps in front of the replacement).
             */
            DOMAIN
        }

        public ProxyRedirect {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
            Objects.requireNonNull(position, "position");
        }

        public boolean regex() {
            return kind == Kind.REGEX || kind == Kind.REGEX_CASELESS;
        }
    }
}

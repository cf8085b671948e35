package dev.proxyline.server.http.proxy;

import dev.proxyline.config.NginxRegex;
import dev.proxyline.config.Redirects;
import dev.proxyline.server.variables.CapturingTemplate;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx's {@code proxy_redirect}: an upstream response's Location, and the URL after {@code url=} in its Refresh, are
 * rewritten by the first rule that matches (a text rule replaces the start it matched; a regex the whole URL, with
 * its captures at hand), and a rewritten Location that starts with a slash is made a URL by {@link RedirectUrl}, as
 * nginx's header filter does; the Set-Cookie fields go to {@link CookieRewrite}. Also carries the location's
 * {@link RedirectUrl} for its own answers.
 */
final class RedirectRewrite {
    static final AsciiString REFRESH = AsciiString.cached("refresh");
    /** No rules, nginx's defaults for own answers. */
    static final RedirectRewrite NONE = new RedirectRewrite(RedirectUrl.DEFAULTS, List.of(), null);

    /** One rule; {@code rewrite} answers null when it does not match. */
    sealed interface Rule permits Prefix, Regex, CookieRewrite.Domain {
        String rewrite(String url, Supplier<SessionSnapshot> request);
    }

    /** Text (variables rendered per response) that a URL must start with, case-sensitively; that start is replaced. */
    record Prefix(Template pattern, Template replacement) implements Rule {
        public Prefix {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
        }

        @Override
        public String rewrite(String url, Supplier<SessionSnapshot> request) {
            String start = pattern.value(request);
            if (!url.startsWith(start)) return null;
            String by = replacement.value(request);
            return by + url.substring(start.length());
        }
    }

    /** A regex searched for in the URL; a match replaces the whole URL. */
    record Regex(Pattern regex, CapturingTemplate replacement) implements Rule {
        public Regex {
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(replacement, "replacement");
        }

        @Override
        public String rewrite(String url, Supplier<SessionSnapshot> request) {
            Matcher m = regex.matcher(url);
            if (!m.find()) return null;
            StringBuilder out = new StringBuilder();
            replacement.render(request.get(), m, out);
            return out.toString();
        }
    }

    private final RedirectUrl url;
    private final Rule[] rules;
    /** {@code proxy_cookie_domain}, {@code proxy_cookie_path} and {@code proxy_cookie_flags}; null without any. */
    private final CookieRewrite cookies;

    RedirectRewrite(RedirectUrl url, List<Rule> rules, CookieRewrite cookies) {
        this.url = Objects.requireNonNull(url, "url");
        this.rules = rules.toArray(new Rule[0]);
        this.cookies = cookies;
    }

    /**
     * The rules of {@code redirects}, compiled against {@code variables}; problems go to {@code problems} with
     * {@code where} (null is returned then).
     */
    static RedirectRewrite of(Redirects redirects, VariableTable variables, String where, List<String> problems) {
        int before = problems.size();
        List<Rule> rules = rules(redirects.proxyRedirects(), "proxy_redirect", variables, where, problems);
        List<Rule> domains = rules(redirects.cookieDomains(), "proxy_cookie_domain", variables, where, problems);
        List<Rule> paths = rules(redirects.cookiePaths(), "proxy_cookie_path", variables, where, problems);
        List<CookieFlags.Line> flags = flags(redirects.cookieFlags(), variables, where, problems);
        if (problems.size() > before) return null;
        RedirectUrl url = RedirectUrl.of(redirects);
        CookieRewrite cookies = domains.isEmpty() && paths.isEmpty() && flags.isEmpty() ? null
                : new CookieRewrite(domains, paths, flags);
        return rules.isEmpty() && cookies == null && url.equals(RedirectUrl.DEFAULTS) ? NONE
                : new RedirectRewrite(url, rules, cookies);
    }

    private static List<Rule> rules(List<Redirects.ProxyRedirect> configured, String directive,
                                    VariableTable variables, String where, List<String> problems) {
        List<Rule> rules = new ArrayList<>();
        for (Redirects.ProxyRedirect r : configured) {
            try {
                rules.add(switch (r.kind()) {
                    case LITERAL_PREFIX -> new Prefix(Template.literal(r.pattern()), Template.literal(r.replacement()));
                    case PREFIX -> new Prefix(Template.compile(r.pattern(), variables),
                            Template.compile(r.replacement(), variables));
                    case DOMAIN -> new CookieRewrite.Domain(Template.compile(r.pattern(), variables),
                            Template.compile(r.replacement(), variables));
                    case REGEX, REGEX_CASELESS -> {
                        Pattern regex = NginxRegex.compile(r.pattern(),
                                r.kind() == Redirects.ProxyRedirect.Kind.REGEX_CASELESS ? Pattern.CASE_INSENSITIVE : 0);
                        yield new Regex(regex, CapturingTemplate.compile(r.replacement(), variables, regex));
                    }
                });
            } catch (TemplateException e) {
                problems.add(where + directive + ": " + e.getMessage());
            }
        }
        return rules;
    }

    private static List<CookieFlags.Line> flags(List<Redirects.CookieFlags> configured, VariableTable variables,
                                                String where, List<String> problems) {
        List<CookieFlags.Line> lines = new ArrayList<>();
        for (Redirects.CookieFlags c : configured) {
            try {
                List<Template> flags = new ArrayList<>();
                for (String flag : c.flags()) flags.add(Template.compile(flag, variables));
                lines.add(c.regex() ? new CookieFlags.Matching(NginxRegex.compile(c.cookie(), Pattern.CASE_INSENSITIVE),
                        flags) : new CookieFlags.Named(Template.compile(c.cookie(), variables), flags));
            } catch (TemplateException e) {
                problems.add(where + "proxy_cookie_flags: " + e.getMessage());
            }
        }
        return lines;
    }

    RedirectUrl url() {
        return url;
    }

    /** The Location of an own answer, as the client gets it. */
    String ownLocation(String location, RequestFacts facts) {
        return url.location(location, facts);
    }

    /**
     * Rewrites the upstream response's {@code headers} in place. Nothing to do without rules; with them, a response
     * without the fields they rewrite costs a lookup per field.
     */
    void upstream(HttpHeaders headers, RequestFacts facts, long nowMillis) {
        if (rules.length == 0 && cookies == null) return;
        String location = rules.length == 0 ? null : headers.get(HttpHeaderNames.LOCATION);
        String refresh = rules.length == 0 ? null : headers.get(REFRESH);
        boolean setCookie = cookies != null && headers.contains(HttpHeaderNames.SET_COOKIE);
        if (location == null && refresh == null && !setCookie) return;
        Supplier<SessionSnapshot> request = new Supplier<>() {
            private SessionSnapshot snapshot;

            @Override
            public SessionSnapshot get() {
                if (snapshot == null) snapshot = facts.snapshot(nowMillis);
                return snapshot;
            }
        };
        if (location != null) {
            List<String> all = headers.getAll(HttpHeaderNames.LOCATION);
            List<String> out = new ArrayList<>(all.size());
            boolean changed = false;
            for (String value : all) {
                String rewritten = rewrite(value, 0, request);
                changed |= rewritten != null;
                out.add(rewritten == null ? value : url.location(rewritten, facts));
            }
            if (changed) headers.set(HttpHeaderNames.LOCATION, out);
        }
        if (refresh != null) {
            List<String> all = headers.getAll(REFRESH);
            List<String> out = new ArrayList<>(all.size());
            boolean changed = false;
            for (String value : all) {
                int at = indexOfUrl(value);
                String rewritten = at < 0 ? null : rewrite(value, at, request);
                changed |= rewritten != null;
                out.add(rewritten == null ? value : rewritten);
            }
            if (changed) headers.set(REFRESH, out);
        }
        if (setCookie) cookies.upstream(headers, request);
    }

    /** {@code value} with its part from {@code from} rewritten by the first rule that matches it, or null. */
    private String rewrite(String value, int from, Supplier<SessionSnapshot> request) {
        String part = value.substring(from);
        for (Rule rule : rules) {
            String rewritten = rule.rewrite(part, request);
            if (rewritten != null) return value.substring(0, from) + rewritten;
        }
        return null;
    }

    /** Where the URL of a Refresh value starts: after its first {@code url=}, in any case, as nginx looks; or -1. */
    static int indexOfUrl(String refresh) {
        for (int i = 0; i + 4 <= refresh.length(); i++) {
            if (refresh.regionMatches(true, i, "url=", 0, 4)) return i + 4;
        }
        return -1;
    }
}

package dev.proxyline.server.http.proxy;

import dev.proxyline.config.Ascii;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * nginx's {@code proxy_cookie_flags}: the first line whose cookie matches a Set-Cookie's name (its text without case,
 * or its regex, which is always without case) sets or drops that cookie's {@code Secure}, {@code HttpOnly} and
 * {@code SameSite}. A line whose flags name none nginx knows changes nothing (and no later line is tried), as nginx.
 */
final class CookieFlags {
    static final int SECURE = 1;
    static final int NO_SECURE = 2;
    static final int HTTP_ONLY = 4;
    static final int NO_HTTP_ONLY = 8;
    static final int STRICT = 16;
    static final int LAX = 32;
    static final int NONE = 64;
    static final int NO_SAME_SITE = 128;

    /** One line: its cookie and its flags, which may hold variables. */
    sealed interface Line permits Named, Matching {
        boolean matches(String name, Supplier<SessionSnapshot> request);

        List<Template> flags();

        default int mask(Supplier<SessionSnapshot> request) {
            int mask = 0;
            for (Template flag : flags()) mask |= bit(flag.value(request));
            return mask;
        }
    }

    /** A cookie named by text, compared without case. */
    record Named(Template cookie, List<Template> flags) implements Line {
        Named {
            Objects.requireNonNull(cookie, "cookie");
            flags = List.copyOf(flags);
        }

        @Override
        public boolean matches(String name, Supplier<SessionSnapshot> request) {
            return cookie.value(request).equalsIgnoreCase(name);
        }
    }

    /** Cookies whose name the regex finds a match in. */
    record Matching(Pattern regex, List<Template> flags) implements Line {
        Matching {
            Objects.requireNonNull(regex, "regex");
            flags = List.copyOf(flags);
        }

        @Override
        public boolean matches(String name, Supplier<SessionSnapshot> request) {
            return regex.matcher(name).find();
        }
    }

    private final Line[] lines;

    CookieFlags(List<Line> lines) {
        this.lines = lines.toArray(new Line[0]);
    }

    /** The flags for the cookie {@code name}: those of the first line that matches it; 0 for none. */
    int maskFor(String name, Supplier<SessionSnapshot> request) {
        for (Line line : lines) {
            if (line.matches(name, request)) return line.mask(request);
        }
        return 0;
    }

    /**
     * Applies {@code mask} to a cookie's attributes ({name, value}; the first is the cookie itself), as nginx: an
     * attribute already there stays as written when asked for (a SameSite of another value becomes the one asked),
     * one a {@code no} flag names is dropped (its name set to null), and what is asked for and missing is added, in
     * the order Secure, HttpOnly, SameSite.
     */
    static void apply(List<String[]> attributes, int mask) {
        int flags = mask;
        for (int i = 1; i < attributes.size(); i++) {
            String[] attribute = attributes.get(i);
            String name = attribute[0];
            if (name.equalsIgnoreCase("secure")) {
                flags = keepOrDrop(attribute, flags, SECURE, NO_SECURE);
            } else if (name.equalsIgnoreCase("httponly")) {
                flags = keepOrDrop(attribute, flags, HTTP_ONLY, NO_HTTP_ONLY);
            } else if (name.equalsIgnoreCase("samesite")) {
                int wanted = (flags & STRICT) != 0 ? STRICT : (flags & LAX) != 0 ? LAX : (flags & NONE) != 0 ? NONE : 0;
                if (wanted != 0) {
                    flags &= ~wanted;
                    if (attribute[1] == null || !attribute[1].equalsIgnoreCase(sameSite(wanted))) {
                        attribute[0] = "SameSite";
                        attribute[1] = sameSite(wanted);
                    }
                } else if ((flags & NO_SAME_SITE) != 0) {
                    attribute[0] = null;
                }
            }
        }
        if ((flags & SECURE) != 0) attributes.add(new String[] {"Secure", null});
        if ((flags & HTTP_ONLY) != 0) attributes.add(new String[] {"HttpOnly", null});
        int sameSite = (flags & STRICT) != 0 ? STRICT : (flags & LAX) != 0 ? LAX : (flags & NONE) != 0 ? NONE : 0;
        if (sameSite != 0) attributes.add(new String[] {"SameSite", sameSite(sameSite)});
    }

    /** An attribute asked for stays (and is not added again); one its {@code no} flag names is dropped. */
    private static int keepOrDrop(String[] attribute, int flags, int on, int off) {
        if ((flags & on) != 0) return flags & ~on;
        if ((flags & off) != 0) attribute[0] = null;
        return flags;
    }

    private static String sameSite(int flag) {
        return flag == STRICT ? "Strict" : flag == LAX ? "Lax" : "None";
    }

    /** A flag's bit; 0 for an empty value or one nginx does not know, which it ignores. */
    static int bit(String flag) {
        return switch (Ascii.lowerCase(flag)) {
            case "secure" -> SECURE;
            case "nosecure" -> NO_SECURE;
            case "httponly" -> HTTP_ONLY;
            case "nohttponly" -> NO_HTTP_ONLY;
            case "samesite=strict" -> STRICT;
            case "samesite=lax" -> LAX;
            case "samesite=none" -> NONE;
            case "nosamesite" -> NO_SAME_SITE;
            default -> 0;
        };
    }
}

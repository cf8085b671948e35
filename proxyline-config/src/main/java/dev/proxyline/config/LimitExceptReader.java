package dev.proxyline.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** Reads a location's {@code limit_except} block into {@link LimitExcept}. */
final class LimitExceptReader {
    /** The method names nginx 1.22 takes here (ngx_methods_names); case does not matter in the configuration. */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE",
            "OPTIONS", "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH");

    private final ArgReader r;
    private final HttpSettingsReader settings;
    private final BiFunction<Directive, Optional<LocationMatch>, Optional<HttpAction>> proxyPass;

    /** @param proxyPass reads a {@code proxy_pass} as a location's, for the location's match */
    LimitExceptReader(ArgReader r, HttpSettingsReader settings,
                      BiFunction<Directive, Optional<LocationMatch>, Optional<HttpAction>> proxyPass) {
        this.r = r;
        this.settings = settings;
        this.proxyPass = proxyPass;
    }

    /** @param location the scope of the location that holds {@code block} */
    Optional<LimitExcept> read(Directive block, Scope location, Optional<LocationMatch> match) {
        Set<String> methods = new HashSet<>();
        boolean valid = true;
        for (Argument a : block.args()) {
            String name = upperCase(a.value());
            if (METHODS.contains(name)) {
                methods.add(name);
            } else {
                r.error(a, "invalid method \"" + a.value() + "\" in \"limit_except\" (expected "
                        + String.join(", ", METHODS) + ")");
                valid = false;
            }
        }
        if (methods.contains("GET")) methods.add("HEAD");
        Scope s = location.child(block.children());
        HttpSettings merged = settings.read(s, match);
        Optional<HttpAction> action = Optional.empty();
        Optional<Directive> pass = s.local("proxy_pass").stream().findFirst();
        if (pass.isPresent() && !pass.get().arg(0).hasVariables() && hasUri(pass.get().arg(0).value())) {
            r.error(pass.get().arg(0), "\"proxy_pass\" cannot have URI part inside \"limit_except\" block");
            valid = false;
        } else if (pass.isPresent()) {
            action = proxyPass.apply(pass.get(), match);
            if (action.isPresent() && ((HttpAction.ProxyPass) action.get()).scheme().equals("https")) {
                settings.checkProxySsl(merged.proxySsl(), pass.get());
            }
        }
        return valid ? Optional.of(new LimitExcept(block.position(), methods, merged, action)) : Optional.empty();
    }

    private static boolean hasUri(String url) {
        int authority = url.indexOf("://");
        return authority >= 0 && url.indexOf('/', authority + 3) >= 0;
    }

    private static String upperCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
        }
        return out.toString();
    }
}

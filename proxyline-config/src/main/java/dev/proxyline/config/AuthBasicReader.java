package dev.proxyline.config;

import java.util.Optional;

/** Reads {@code auth_basic}, {@code auth_basic_user_file} and {@code satisfy} into {@link AuthBasic}. */
final class AuthBasicReader {
    private final ArgReader r;

    AuthBasicReader(ArgReader r) {
        this.r = r;
    }

    AuthBasic read(Scope s) {
        Optional<Directive> realm = s.get("auth_basic");
        Optional<Directive> file = s.get("auth_basic_user_file");
        Optional<Directive> satisfy = s.get("satisfy");
        if (realm.isEmpty() && file.isEmpty() && satisfy.isEmpty()) return AuthBasic.OFF;
        Optional<String> text = realm.map(d -> d.arg(0).value()).filter(v -> !v.equals("off"));
        Optional<Argument> path = file.map(d -> d.arg(0));
        path.filter(Argument::hasVariables).ifPresent(a -> r.error(a, "variables in \"auth_basic_user_file\" are not"
                + " supported: \"" + a.value() + "\" (name one file)"));
        return new AuthBasic(text, path.map(Argument::value), path.map(Argument::position),
                satisfy.map(this::any).orElse(false));
    }

    private boolean any(Directive d) {
        String v = d.arg(0).value();
        if (!v.equals("all") && !v.equals("any")) {
            r.error(d.arg(0), "invalid value \"" + v + "\" in \"satisfy\" directive, it must be \"all\" or \"any\"");
        }
        return v.equals("any");
    }
}

package dev.proxyline.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Reads one typed value from an argument and reports a positioned error when it does not parse. */
final class ArgReader {
    private final Errors errors;

    ArgReader(Errors errors) {
        this.errors = errors;
    }

    Errors errors() {
        return errors;
    }

    void error(Argument a, String message) {
        errors.add(a.position(), message);
    }

    void error(Directive d, String message) {
        errors.add(d.position(), message);
    }

    Optional<Duration> duration(Directive d, Argument a) {
        Optional<Duration> v = Values.duration(a.value());
        if (v.isEmpty()) {
            error(a, "invalid time \"" + a.value() + "\" in \"" + d.name()
                    + "\" directive (expected e.g. 500ms, 5s, 1m30s, 1h; units ms s m h d w M y)");
        }
        return v;
    }

    OptionalLong size(Directive d, Argument a) {
        OptionalLong v = Values.size(a.value());
        if (v.isEmpty()) {
            error(a, "invalid size \"" + a.value() + "\" in \"" + d.name() + "\" directive (expected e.g. 512, 16k, 1m, 1g)");
        }
        return v;
    }

    OptionalInt intInRange(Directive d, Argument a, String text, long min, long max) {
        OptionalLong v = Values.number(text);
        if (v.isEmpty() || v.getAsLong() < min || v.getAsLong() > max) {
            error(a, "invalid number \"" + text + "\" in \"" + d.name() + "\" directive (expected " + min + "-" + max + ")");
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) v.getAsLong());
    }

    OptionalInt intInRange(Directive d, Argument a, long min, long max) {
        return intInRange(d, a, a.value(), min, max);
    }

    Optional<Boolean> flag(Directive d, Argument a) {
        Optional<Boolean> v = Values.flag(a.value());
        if (v.isEmpty()) {
            error(a, "invalid value \"" + a.value() + "\" in \"" + d.name() + "\" directive, it must be \"on\" or \"off\"");
        }
        return v;
    }

    Optional<Cidr> cidr(Directive d, Argument a) {
        Optional<Cidr> v = Cidr.parse(a.value());
        if (v.isEmpty()) {
            error(a, "invalid address \"" + a.value() + "\" in \"" + d.name()
                    + "\" directive (expected an IP literal or CIDR such as 10.0.0.0/8; names are not resolved)");
        } else if (a.value().indexOf('/') >= 0
                && !InetLiteral.parse(a.value().substring(0, a.value().indexOf('/'))).equals(Optional.of(v.get().network()))) {
            errors.warn(a.position(), "low address bits of " + a.value() + " are meaningless (using " + v.get() + ")");
        }
        return v;
    }
}

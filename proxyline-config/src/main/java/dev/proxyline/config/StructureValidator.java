package dev.proxyline.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the generic tree against the directive table (known name, context, arity, block or not,
 * repetition) and returns the tree without the directives that failed, so the typed builders only see
 * well-formed input and do not report the same mistake twice.
 */
final class StructureValidator {
    private final DirectiveTable table;
    private final Errors errors;

    StructureValidator(DirectiveTable table, Errors errors) {
        this.table = table;
        this.errors = errors;
    }

    List<Directive> validate(List<Directive> directives, Context context) {
        List<Directive> kept = new ArrayList<>();
        Map<String, Directive> seen = new HashMap<>();
        for (Directive d : directives) {
            DirectiveTable.Lookup lookup = table.lookup(d, context);
            if (lookup instanceof DirectiveTable.Lookup.Rejected r) {
                errors.add(d.position(), r.message());
                continue;
            }
            if (lookup instanceof DirectiveTable.Lookup.Ignored i) {
                errors.warn(d.position(), i.warning());
                continue;
            }
            DirectiveSpec spec = ((DirectiveTable.Lookup.Found) lookup).spec();
            if (!check(d, spec, seen)) continue;
            if (spec.isBlock() && spec.blockContext().orElseThrow().holdsEntries()) {
                kept.add(d); // its lines are keys and values, which MapBuilder checks
            } else if (spec.isBlock()) {
                List<Directive> children = validate(d.children(), spec.blockContext().orElseThrow());
                kept.add(new Directive(d.name(), d.position(), d.args(), Optional.of(children)));
            } else {
                kept.add(d);
            }
        }
        return List.copyOf(kept);
    }

    private boolean check(Directive d, DirectiveSpec spec, Map<String, Directive> seen) {
        boolean ok = true;
        int n = d.args().size();
        if (n < spec.minArgs() || n > spec.maxArgs()) {
            errors.add(d.position(), "invalid number of arguments in \"" + d.name() + "\" directive (expected "
                    + arity(spec) + ", got " + n + ")");
            ok = false;
        }
        if (spec.isBlock() && !d.hasBlock()) {
            errors.add(d.position(), "directive \"" + d.name() + "\" has no opening \"{\"");
            ok = false;
        } else if (!spec.isBlock() && d.hasBlock()) {
            errors.add(d.position(), "directive \"" + d.name() + "\" takes no block; it must end with \";\"");
            ok = false;
        }
        if (!spec.repeatable()) {
            Directive first = seen.putIfAbsent(d.name(), d);
            if (first != null) {
                errors.add(d.position(), "\"" + d.name() + "\" directive is duplicate (first at line "
                        + first.position().line() + ")");
                ok = false;
            }
        }
        return ok;
    }

    private static String arity(DirectiveSpec spec) {
        if (spec.minArgs() == spec.maxArgs()) return String.valueOf(spec.minArgs());
        if (spec.maxArgs() == DirectiveSpec.MANY) return "at least " + spec.minArgs();
        return spec.minArgs() + " to " + spec.maxArgs();
    }
}

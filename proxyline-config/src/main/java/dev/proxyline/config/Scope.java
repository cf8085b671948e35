package dev.proxyline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directives of one block, with the enclosing block as fallback. This is nginx's merge rule in one
 * place: a directive set in the inner block wins; otherwise the outer value (all occurrences, for
 * repeatable directives) is inherited.
 */
final class Scope {
    private final Optional<Scope> parent;
    private final Map<String, List<Directive>> own = new LinkedHashMap<>();
    private final List<Directive> inOrder;

    private Scope(Optional<Scope> parent, List<Directive> directives) {
        this.parent = parent;
        this.inOrder = directives;
        for (Directive d : directives) own.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d);
    }

    static Scope root(List<Directive> directives) {
        return new Scope(Optional.empty(), directives);
    }

    Scope child(List<Directive> directives) {
        return new Scope(Optional.of(this), directives);
    }

    /** Every occurrence in the nearest block that has the directive. */
    List<Directive> all(String name) {
        List<Directive> mine = own.get(name);
        if (mine != null) return mine;
        return parent.map(p -> p.all(name)).orElse(List.of());
    }

    /**
     * Every occurrence of two directives that make one list (allow and deny), in their order, from the nearest block
     * that has either.
     */
    List<Directive> allOf(String first, String second) {
        if (own.containsKey(first) || own.containsKey(second)) {
            return inOrder.stream().filter(d -> d.name().equals(first) || d.name().equals(second)).toList();
        }
        return parent.map(p -> p.allOf(first, second)).orElse(List.of());
    }

    /** The effective single-valued directive (the table already rejected duplicates in one block). */
    Optional<Directive> get(String name) {
        List<Directive> list = all(name);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /** This block's occurrences of any of {@code names}, in their order (the rewrite module's set, rewrite, break). */
    List<Directive> localOf(java.util.Set<String> names) {
        return inOrder.stream().filter(d -> names.contains(d.name())).toList();
    }

    /** Only this block's occurrences, for directives that are not inherited (listen, location, upstream...). */
    List<Directive> local(String name) {
        return own.getOrDefault(name, List.of());
    }
}

package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code allow} / {@code deny} ({@code ADDRESS | CIDR | unix: | all}) into {@link AccessRules}. The two are one
 * list, inherited as a whole: a level with either directive of its own replaces all the outer rules, as nginx merges
 * them.
 */
final class AccessRulesReader {
    private final ArgReader r;

    AccessRulesReader(ArgReader r) {
        this.r = r;
    }

    AccessRules read(Scope s) {
        List<Directive> lines = s.allOf("allow", "deny");
        if (lines.isEmpty()) return AccessRules.NONE;
        List<AccessRules.Rule> rules = new ArrayList<>(lines.size());
        for (Directive d : lines) {
            clients(d).ifPresent(clients -> rules.add(new AccessRules.Rule(d.name().equals("allow"), clients)));
        }
        return new AccessRules(rules);
    }

    private Optional<AccessRules.Clients> clients(Directive d) {
        Argument a = d.arg(0);
        if (a.value().equals("all")) return Optional.of(new AccessRules.Everyone());
        if (a.value().equals("unix:")) return Optional.of(new AccessRules.UnixSockets());
        if (a.hasVariables()) {
            r.error(a, "invalid parameter \"" + a.value() + "\" in \"" + d.name()
                    + "\" directive (expected an address, a CIDR block, unix: or all; variables are not expanded here)");
            return Optional.empty();
        }
        return r.cidr(d, a).map(AccessRules.Block::new);
    }
}

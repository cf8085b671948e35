package dev.proxyline.server.http.proxy;

import dev.proxyline.config.RewriteRule;
import dev.proxyline.server.variables.SessionSnapshot;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Runs a server's or a location's {@code set}, {@code rewrite}, {@code break}, {@code if} and {@code return} in
 * order, as nginx's rewrite phases do: each sees what the ones before it did (a snapshot per step; only requests of
 * blocks with such steps pay for it). The request's path, arguments and set values change in its facts; what is to be
 * answered comes back to the handler, which answers.
 */
final class RewriteSteps {
    /** Where a block's steps leave the request. */
    sealed interface Outcome permits Proceed, Answer, Redirect {}

    /** The request goes on. */
    enum Proceed implements Outcome {
        /** In the location it is in (or, for a server's steps, to be routed as its URI now reads). */
        STAY,
        /** Its URI changed: the location is to be found again. */
        SEARCH
    }

    /** A {@code return} was reached. */
    record Answer(LocationPlan.Answer answer) implements Outcome {}

    /** A rewrite redirects: {@code location} is the Location field, the request's arguments added as nginx adds them. */
    record Redirect(int status, String location) implements Outcome {}

    private final Clock clock;
    /** Whether a rewrite without a flag changed the URI in the block whose steps run now. */
    private boolean blockChangedUri;

    RewriteSteps(Clock clock) {
        this.clock = clock;
    }

    /** Runs a block's {@code steps}; {@code inLocation} false for a server's. */
    Outcome run(RequestFacts facts, ServerPlan server, List<LocationPlan.Step> steps, boolean inLocation) {
        blockChangedUri = false;
        Outcome ended = runSteps(facts, server, steps, inLocation);
        if (ended != null) return ended;
        return blockChangedUri ? Proceed.SEARCH : Proceed.STAY;
    }

    /** The request's {@code set} values (and kept captures), made by the first step that assigns one. */
    static String[] setValues(RequestFacts facts, ServerPlan server) {
        if (facts.setValues == null) facts.setValues = new String[server.setSlots()];
        return facts.setValues;
    }

    /**
     * Runs {@code steps}, the block's or an {@code if}'s body: null when they all ran, else where a step that ends
     * the block's left the request (from inside an {@code if} too, as in nginx, where its body is the block's code).
     */
    private Outcome runSteps(RequestFacts facts, ServerPlan server, List<LocationPlan.Step> steps, boolean inLocation) {
        for (LocationPlan.Step step : steps) {
            if (step instanceof LocationPlan.SetStep set) {
                setValues(facts, server)[set.index()] = set.value().render(snapshot(facts));
            } else if (step instanceof LocationPlan.SetArgs args) {
                facts.args = args.value().render(snapshot(facts));
                facts.uriChanged = true; // the upstream gets the path and the new arguments, as nginx's set $args
            } else if (step instanceof LocationPlan.If branch) {
                String[] values = branch.test().assigns() ? setValues(facts, server) : facts.setValues;
                SessionSnapshot now = snapshot(facts);
                boolean holds = branch.test().holds(now, values);
                if (branch.log() && branch.test() instanceof IfTest.Match m) {
                    RewriteLog.regex(m.regex(), m.subject().render(now), holds != m.negated(), facts);
                }
                if (!holds) continue;
                Outcome ended = runSteps(facts, server, branch.steps(), inLocation);
                if (ended != null) return ended;
            } else if (step instanceof LocationPlan.Rewrite rewrite) {
                Matcher match = rewrite.regex().matcher(facts.path);
                boolean found = match.find();
                if (rewrite.log()) RewriteLog.regex(rewrite.regex(), facts.path, found, facts);
                rewrite.captures().assign(match, found, setValues(facts, server));
                if (!found) continue;
                StringBuilder replacement = new StringBuilder();
                rewrite.replacement().render(snapshot(facts), match, replacement);
                if (rewrite.redirect()) {
                    String location = redirectLocation(replacement.toString(), facts.args);
                    if (rewrite.log()) RewriteLog.redirect(location, facts);
                    return new Redirect(rewrite.status(), location);
                }
                newUri(facts, replacement.toString());
                if (rewrite.log()) RewriteLog.rewritten(facts);
                if (rewrite.flag() == RewriteRule.Flag.LAST) return Proceed.SEARCH;
                if (rewrite.flag() == RewriteRule.Flag.BREAK) {
                    facts.rewrittenInLocation = inLocation;
                    return Proceed.STAY;
                }
                blockChangedUri = true;
            } else if (step instanceof LocationPlan.LocationCaptures captures) {
                // A regex without groups only empties $1..$9: a request that set none has nothing to empty.
                String[] values = captures.groups() ? setValues(facts, server) : facts.setValues;
                if (values != null) {
                    captures.captures().assignFound(facts.locationMatches.get(captures.match()), captures.groups(),
                            values);
                }
            } else if (step instanceof LocationPlan.Return reached) {
                return new Answer(reached.answer());
            } else {
                return Proceed.STAY; // break
            }
        }
        return null;
    }

    private SessionSnapshot snapshot(RequestFacts facts) {
        return facts.snapshot(clock.millis());
    }

    /**
     * The URI a rewrite made: its path, and its arguments after {@code ?} followed by the request's own, unless it
     * ends with {@code ?}, which keeps the request's out (nginx's rule).
     */
    private static void newUri(RequestFacts facts, String uri) {
        int q = uri.indexOf('?');
        facts.uriChanged = true;
        facts.rewrittenInLocation = false;
        if (q < 0) {
            facts.path = uri;
            return;
        }
        facts.path = uri.substring(0, q);
        if (uri.endsWith("?")) {
            facts.args = uri.substring(q + 1, uri.length() - 1);
        } else {
            String added = uri.substring(q + 1);
            facts.args = facts.args.isEmpty() ? added : added + "&" + facts.args;
        }
    }

    /** A rewrite's redirect: the request's arguments follow, unless the replacement ends with {@code ?}. */
    private static String redirectLocation(String url, String args) {
        if (url.endsWith("?")) return url.substring(0, url.length() - 1);
        if (args.isEmpty()) return url;
        return url + (url.indexOf('?') < 0 ? "?" : "&") + args;
    }
}

package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ErrorLog;
import dev.proxyline.server.http.limit.RateLimits;
import dev.proxyline.server.limit.RequestCountZone;
import dev.proxyline.server.variables.SessionSnapshot;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx's preaccess phase for the requests of one connection (or HTTP/2 stream): {@code limit_req} first, then
 * {@code limit_conn}, as nginx runs them. Holds what a request took ({@code limit_conn} counts, released when it
 * ends) and, while {@code limit_req} delays it, the wait and the body parts that arrived meanwhile. Made for the
 * first request of a location with limits, so connections that never meet one carry nothing.
 */
final class RequestLimits {
    static final String PASSED = "PASSED";
    static final String DELAYED = "DELAYED";
    static final String REJECTED = "REJECTED";
    static final String DELAYED_DRY_RUN = "DELAYED_DRY_RUN";
    static final String REJECTED_DRY_RUN = "REJECTED_DRY_RUN";

    /** One request counted in a {@code limit_conn} zone under a key. */
    private record HeldCount(RequestCountZone zone, String key) {}

    private List<HeldCount> heldCounts; // null while the request holds none
    private ScheduledFuture<?> delay; // null unless the request waits
    private final ArrayDeque<HttpContent> parked = new ArrayDeque<>(2);

    /**
     * The location's {@code limit_req}s for the request: sets {@code $limit_req_status} and logs as nginx does.
     *
     * @return -1 if the request is refused, else how many milliseconds it waits (0: none)
     */
    long checkRate(RequestFacts facts, LocationPlan location, SessionSnapshot now) {
        LimitReqPlan plan = location.limitReq();
        String[] keys = new String[plan.keys().size()];
        for (int i = 0; i < keys.length; i++) keys[i] = plan.keys().get(i).render(now);
        RateLimits.Verdict verdict = plan.limits().check(keys);
        String dryRun = plan.dryRun() ? ", dry run" : "";
        switch (verdict.kind()) {
            case NOT_LIMITED:
                return 0;
            case PASSED:
                facts.limitReqStatus = PASSED;
                return 0;
            case DELAYED:
                plan.log().log(LimitLog.delayLevel(plan.logLevel()), "delaying request" + dryRun + ", excess: "
                        + LimitLog.thousandths(verdict.excess()) + ", by zone \"" + zone(plan, verdict) + "\"", facts);
                facts.limitReqStatus = plan.dryRun() ? DELAYED_DRY_RUN : DELAYED;
                return plan.dryRun() ? 0 : verdict.delayMillis();
            case REJECTED:
                plan.log().log(plan.logLevel(), "limiting requests" + dryRun + ", excess: "
                        + LimitLog.thousandths(verdict.excess()) + " by zone \"" + zone(plan, verdict) + "\"", facts);
                break;
            default: // NO_ROOM
                plan.log().log(ErrorLog.Level.ERROR, "could not allocate node in limit_req zone \""
                        + zone(plan, verdict) + "\"", facts);
                break;
        }
        facts.limitReqStatus = plan.dryRun() ? REJECTED_DRY_RUN : REJECTED;
        return plan.dryRun() ? 0 : -1;
    }

    private static String zone(LimitReqPlan plan, RateLimits.Verdict verdict) {
        return plan.limits().limits().get(verdict.limit()).zone().name();
    }

    /**
     * The location's {@code limit_conn}s: each non-empty key is counted in its zone, and a key at its cap refuses
     * the request (what was counted for it is given back). Sets {@code $limit_conn_status}.
     *
     * @return false if the request is refused
     */
    boolean acquireCounts(RequestFacts facts, LocationPlan location, SessionSnapshot now) {
        for (LocationPlan.LimitConn limit : location.limitConns()) {
            String key = limit.key().render(now);
            if (key.isEmpty()) continue;
            facts.limitConnStatus = PASSED;
            if (!limit.zone().acquire(key, limit.number())) {
                releaseCounts();
                boolean dryRun = location.limitConnOptions().dryRun();
                location.limitReq().log().log(location.limitConnOptions().logLevel(), "limiting connections"
                        + (dryRun ? ", dry run," : "") + " by zone \"" + limit.zone().name() + "\"", facts);
                facts.limitConnStatus = dryRun ? REJECTED_DRY_RUN : REJECTED;
                return dryRun;
            }
            if (heldCounts == null) heldCounts = new ArrayList<>(2);
            heldCounts.add(new HeldCount(limit.zone(), key));
        }
        return true;
    }

    /** The request is over: it no longer counts against {@code limit_conn}. */
    void releaseCounts() {
        if (heldCounts == null) return;
        for (HeldCount held : heldCounts) held.zone().release(held.key());
        heldCounts = null;
    }

    /** Runs {@code then} on the connection's event loop after {@code millis}; nothing is read meanwhile. */
    void delay(EventExecutor executor, long millis, Runnable then) {
        delay = executor.schedule(() -> {
            delay = null;
            then.run();
        }, millis, TimeUnit.MILLISECONDS);
    }

    boolean delaying() {
        return delay != null;
    }

    /** Keeps a body part that came while the request waits; false when it does not wait. */
    boolean park(HttpContent content) {
        if (delay == null) return false;
        parked.add(content);
        return true;
    }

    /** The body parts that came while the request waited, in order; the caller owns them. */
    HttpContent nextParked() {
        return parked.poll();
    }

    /** The client went away: the wait ends without running its task, and the parked parts are freed. */
    void cancel() {
        if (delay != null) {
            delay.cancel(false);
            delay = null;
        }
        HttpContent content;
        while ((content = parked.poll()) != null) content.release();
    }
}

package dev.proxyline.server.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Lookups that need no regex must not allocate (a router serves every request). Measured with the thread's
 * allocation counter over many calls, so one-off allocations of warm-up or class loading do not count.
 */
class AllocationTest {
    private static final int CALLS = 20_000;
    /** Far below one object per call; leaves room for the counter's own bookkeeping. */
    private static final long BUDGET = 4_096;

    private static long allocated(Runnable r) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < CALLS; i++) r.run();
        long before = bean.getThreadAllocatedBytes(id);
        for (int i = 0; i < CALLS; i++) r.run();
        return bean.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void hostLookupsWithoutRegexesDoNotAllocate() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name www.example.org; return 200 exact; }
                server { listen 80; server_name *.example.org; return 200 lead; }
                server { listen 80; server_name mail.*; return 200 trail; }
                """));
        Object[] sink = new Object[1];
        assertThat(allocated(() -> {
            sink[0] = hosts.select("WWW.example.org:8080");
            sink[0] = hosts.select("a.b.example.org.");
            sink[0] = hosts.select("mail.example.net");
            sink[0] = hosts.select("nowhere.test");
            sink[0] = hosts.select("bad..host");
        })).isLessThan(BUDGET);
    }

    @Test
    void exactPrefixAndRedirectLookupsDoNotAllocate() {
        LocationRouter router = new LocationRouter(Configs.server("""
                location = / { return 200 A; }
                location / { return 200 B; }
                location /documents/ { return 200 C; }
                location ^~ /images/ { return 200 D; }
                location /app/ { proxy_pass http://127.0.0.1:8080; }
                """).locations());
        Object[] sink = new Object[1];
        assertThat(allocated(() -> {
            sink[0] = router.find("/");
            sink[0] = router.find("/documents/document.html");
            sink[0] = router.find("/images/1.gif");
            sink[0] = router.find("/app");
        })).isLessThan(BUDGET);
    }
}

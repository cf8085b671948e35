package dev.proxyline.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Checks of the listen directives of a block taken together. */
final class ListenChecks {
    private ListenChecks() {}

    /** No two listen directives may claim the same address and port. */
    static void noDuplicates(List<Listen> listens, ArgReader r) {
        Map<String, Listen> seen = new HashMap<>();
        for (Listen l : listens) {
            Listen first = seen.putIfAbsent(l.bindKey(), l);
            if (first != null) {
                r.errors().add(l.position(), "duplicate listen " + l.bindKey() + " (already used at " + first.position() + ")");
            }
        }
    }

    /**
     * Warns about a specific address served through its port's wildcard socket ({@link SharedSockets}) that asks
     * for socket options of its own: the socket is the wildcard's, and so are its options.
     */
    static void sharedSocketOptions(List<Listen> listens, ArgReader r) {
        Map<String, Listen> distinct = new LinkedHashMap<>();
        for (Listen l : listens) distinct.putIfAbsent(l.bindKey(), l);
        for (SharedSockets.Socket<Listen> socket : SharedSockets.group(List.copyOf(distinct.values()), Function.identity())) {
            Listen owner = socket.owner();
            for (Listen folded : socket.folded()) {
                if (folded.backlog() != owner.backlog() || folded.reusePort() != owner.reusePort()
                        || !folded.soKeepalive().equals(owner.soKeepalive())) {
                    r.errors().warn(folded.position(), "listen " + folded.bindKey() + " is served by the socket of "
                            + owner.bindKey() + " (" + owner.position() + "), which holds the port: its backlog, "
                            + "reuseport and so_keepalive apply, not this listen's");
                }
            }
        }
    }
}

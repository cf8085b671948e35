package dev.proxyline.server.app;

import dev.proxyline.config.SharedSockets;
import dev.proxyline.server.runtime.ListenerPlan;
import dev.proxyline.server.runtime.RuntimePlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * On the epoll transport stream sessions run on raw descriptors, except those of servers that need Netty's
 * channels (TLS): this says which servers go to channels. A listening socket is served one way, so a server with
 * a listen folded into the same socket as one of those ({@link SharedSockets}: a wildcard and the specific
 * addresses of its port) goes along, and so on until no socket is split. Plain Java.
 */
final class ChannelRouting {
    private ChannelRouting() {
    }

    /** The plans (by identity) that run on channels: those {@code needs} names and those sharing a socket with them. */
    static Set<RuntimePlan> needChannels(List<RuntimePlan> plans, Predicate<RuntimePlan> needs) {
        Set<RuntimePlan> out = Collections.newSetFromMap(new IdentityHashMap<>());
        plans.stream().filter(needs).forEach(out::add);
        if (out.isEmpty()) return out;
        List<Owned> listens = new ArrayList<>();
        for (RuntimePlan plan : plans) {
            for (ListenerPlan listener : plan.listeners()) listens.add(new Owned(plan, listener));
        }
        List<SharedSockets.Socket<Owned>> sockets = SharedSockets.group(listens, o -> o.listener().listen());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (SharedSockets.Socket<Owned> socket : sockets) {
                List<Owned> all = new ArrayList<>(socket.folded());
                all.add(socket.owner());
                if (all.stream().anyMatch(o -> out.contains(o.plan()))) {
                    for (Owned o : all) changed |= out.add(o.plan());
                }
            }
        }
        return out;
    }

    /** A listen with the server it belongs to. */
    private record Owned(RuntimePlan plan, ListenerPlan listener) {}
}

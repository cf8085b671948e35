package dev.proxyline.server.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reaches Netty's epoll classes without compiling against them. The module declares
 * {@code netty-transport-native-epoll} as a runtime dependency (the Netty BOM scopes the native jar
 * that way), so the classes exist when the server runs but not when it compiles; confining the
 * lookups to this class keeps the rest of the code free of reflection. If the module POM ever adds
 * {@code netty-transport-classes-epoll} at compile scope, this class can become plain calls.
 */
final class EpollSupport {

    private static final String PKG = "io.netty.channel.epoll.";
    private static final boolean AVAILABLE = probe();

    private EpollSupport() {}

    private static boolean probe() {
        try {
            Class<?> epoll = Class.forName(PKG + "Epoll");
            return (Boolean) epoll.getMethod("isAvailable").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** True if the epoll classes are on the class path and the native library loaded. */
    static boolean isAvailable() {
        return AVAILABLE;
    }

    static void ensureAvailable() {
        if (!AVAILABLE) {
            throw new UnsupportedOperationException("the epoll transport is not available on this machine");
        }
    }

    static IoHandlerFactory newIoHandlerFactory() {
        try {
            return (IoHandlerFactory) Class.forName(PKG + "EpollIoHandler").getMethod("newFactory").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the epoll I/O handler", e);
        }
    }

    static Class<? extends ServerChannel> serverChannelClass() {
        return load("EpollServerSocketChannel", ServerChannel.class);
    }

    static Class<? extends SocketChannel> socketChannelClass() {
        return load("EpollSocketChannel", SocketChannel.class);
    }

    /**
     * {@code AbstractEpollStreamChannel.spliceTo(AbstractEpollStreamChannel, int, ChannelPromise)}
     * typed as {@code (Channel, Channel, int, ChannelPromise) -> ChannelFuture}.
     */
    static MethodHandle spliceTo() {
        try {
            Class<?> stream = Class.forName(PKG + "AbstractEpollStreamChannel");
            MethodHandle h = MethodHandles.publicLookup().findVirtual(stream, "spliceTo", MethodType.methodType(
                    io.netty.channel.ChannelFuture.class, stream, int.class, io.netty.channel.ChannelPromise.class));
            return h.asType(MethodType.methodType(io.netty.channel.ChannelFuture.class,
                    io.netty.channel.Channel.class, io.netty.channel.Channel.class, int.class,
                    io.netty.channel.ChannelPromise.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("epoll splice is not available", e);
        }
    }

    private static <T> Class<? extends T> load(String simpleName, Class<T> type) {
        try {
            return Class.forName(PKG + simpleName).asSubclass(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("epoll class " + simpleName + " is missing", e);
        }
    }
}

package dev.proxyline.server.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;

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

    private static <T> Class<? extends T> load(String simpleName, Class<T> type) {
        try {
            return Class.forName(PKG + simpleName).asSubclass(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("epoll class " + simpleName + " is missing", e);
        }
    }
}

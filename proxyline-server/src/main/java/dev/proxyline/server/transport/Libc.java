package dev.proxyline.server.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls the JDK has no API for, bound once on first use by JNA's direct mapping (a native method
 * each, no proxy per call). Linux only: {@link #LOADED} is false elsewhere and the methods must not be called.
 */
final class Libc {
    static final boolean LOADED = load();

    static final int EPERM = 1;
    static final int EINVAL = 22;

    private Libc() {}

    private static boolean load() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false;
        }
    }

    static native int sched_getaffinity(int pid, NativeLong size, byte[] mask) throws LastErrorException;

    static native int sched_setaffinity(int pid, NativeLong size, byte[] mask) throws LastErrorException;

    /** {@code limits} is a struct rlimit of a 64-bit Linux: the soft then the hard limit. */
    static native int getrlimit(int resource, long[] limits) throws LastErrorException;

    static native int setrlimit(int resource, long[] limits) throws LastErrorException;

    static native int geteuid();

    /** A struct passwd in libc's static buffer, or null for an unknown user. */
    static native Pointer getpwnam(String name);

    /** A struct group in libc's static buffer, or null for an unknown group. */
    static native Pointer getgrnam(String name);

    static native int initgroups(String user, int group) throws LastErrorException;

    static native int setgid(int gid) throws LastErrorException;

    static native int setuid(int uid) throws LastErrorException;

    /** The error as nginx's logs name it: {@code 1: Operation not permitted}. */
    static String describe(LastErrorException e) {
        return switch (e.getErrorCode()) {
            case EPERM -> "1: Operation not permitted";
            case EINVAL -> "22: Invalid argument";
            default -> "errno " + e.getErrorCode();
        };
    }
}

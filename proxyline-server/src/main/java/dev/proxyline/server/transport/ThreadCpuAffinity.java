package dev.proxyline.server.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The calling thread's CPU affinity through Linux's {@code sched_getaffinity} / {@code sched_setaffinity}
 * (pid 0 is the calling thread), which the JDK has no API for ({@link Libc}).
 */
final class ThreadCpuAffinity {
    /** cpu_set_t of glibc: CPU_SETSIZE (1024) bits; the kernel takes any multiple of the word size. */
    private static final int SET_BYTES = 1024 / 8;

    private ThreadCpuAffinity() {}

    /**
     * Whether this platform can bind threads: Linux (elsewhere nginx ignores worker_cpu_affinity too), little-endian,
     * where the mask layout below holds.
     */
    static boolean supported() {
        return Libc.LOADED && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    }

    /** The CPUs the calling thread may run on. */
    static BitSet current() throws IOException {
        byte[] mask = new byte[SET_BYTES];
        try {
            Libc.sched_getaffinity(0, new NativeLong(SET_BYTES), mask);
        } catch (LastErrorException e) {
            throw new IOException("sched_getaffinity: " + describe(e), e);
        }
        // Bytes in memory order: on a little-endian machine CPU n is bit n % 8 of byte n / 8, BitSet's own layout.
        return BitSet.valueOf(mask);
    }

    /** Binds the calling thread to {@code cpus}. */
    static void bindCurrentThread(BitSet cpus) throws IOException {
        if (cpus.isEmpty() || cpus.length() > SET_BYTES * 8) {
            throw new IllegalArgumentException("CPU set " + cpus);
        }
        byte[] mask = Arrays.copyOf(cpus.toByteArray(), SET_BYTES);
        try {
            Libc.sched_setaffinity(0, new NativeLong(SET_BYTES), mask);
        } catch (LastErrorException e) {
            throw new IOException("sched_setaffinity(" + cpus + "): " + describe(e), e);
        }
    }

    private static String describe(LastErrorException e) {
        return e.getErrorCode() == Libc.EINVAL ? "no CPU of the set is online and allowed (EINVAL)" : Libc.describe(e);
    }
}

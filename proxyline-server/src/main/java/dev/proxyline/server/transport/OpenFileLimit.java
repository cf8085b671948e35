package dev.proxyline.server.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import java.io.IOException;

/**
 * The process's open file limit, RLIMIT_NOFILE, which nginx's {@code worker_rlimit_nofile} sets and which caps the
 * sockets a proxy can hold (a stream session holds two). The JDK can neither read nor set it ({@link Libc}).
 */
public final class OpenFileLimit {
    // <sys/resource.h> of the 64-bit Linux ports this supports; MIPS and SPARC number it otherwise.
    private static final int RLIMIT_NOFILE = 7;
    // RLIM_INFINITY, all ones in an unsigned 64-bit rlim_t.
    private static final long INFINITY = -1L;

    /** The soft limit (what the process gets) and the hard one (how far an unprivileged process may raise it). */
    public record Limits(long soft, long hard) {
        /** Either limit when the kernel reports none. */
        public static final long UNLIMITED = Long.MAX_VALUE;
    }

    private OpenFileLimit() {}

    /** Whether this platform can read and set the limit: 64-bit Linux, but MIPS and SPARC. */
    public static boolean supported() {
        return Libc.LOADED && Platform.is64Bit() && !Platform.isMIPS() && !Platform.isSPARC();
    }

    /** The process's limits now. */
    public static Limits current() throws IOException {
        long[] limits = new long[2];
        try {
            Libc.getrlimit(RLIMIT_NOFILE, limits);
        } catch (LastErrorException e) {
            throw new IOException("getrlimit(RLIMIT_NOFILE) failed (" + Libc.describe(e) + ")", e);
        }
        return new Limits(fromKernel(limits[0]), fromKernel(limits[1]));
    }

    /**
     * Sets both limits to {@code files}, as nginx does: lowering needs no privilege, raising the hard limit needs
     * CAP_SYS_RESOURCE, and no process may go above the kernel's {@code fs.nr_open}.
     *
     * @throws IOException naming the call and the error as nginx's alert does
     */
    public static void set(long files) throws IOException {
        if (files < 1) {
            throw new IllegalArgumentException("open file limit " + files);
        }
        try {
            Libc.setrlimit(RLIMIT_NOFILE, new long[] {files, files});
        } catch (LastErrorException e) {
            throw new IOException("setrlimit(RLIMIT_NOFILE, " + files + ") failed (" + Libc.describe(e) + ")", e);
        }
    }

    private static long fromKernel(long limit) {
        return limit == INFINITY ? Limits.UNLIMITED : limit;
    }
}

package dev.proxyline.server.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.Objects;

/**
 * nginx's {@code user}: a process started as root gives root up for an unprivileged user and group once its
 * sockets are bound and its files open, as nginx's workers run as {@code user} (proxyline's workers are threads of
 * one process, so the whole process changes). Linux only.
 */
public final class ProcessUser {
    /**
     * A user and group resolved to their ids.
     *
     * @param user  the user's name
     * @param uid   its id
     * @param group the group's name
     * @param gid   the group's id
     */
    public record Ids(String user, int uid, String group, int gid) {
        public Ids {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(group, "group");
        }

        @Override
        public String toString() {
            return "user " + user + " (" + uid + "), group " + group + " (" + gid + ")";
        }
    }

    private ProcessUser() {}

    /** Whether the process runs as root (effective uid 0), the only case in which {@code user} does anything. */
    public static boolean isRoot() {
        return Libc.LOADED && Libc.geteuid() == 0;
    }

    /**
     * The ids of {@code user} and {@code group} from the system's user database (getpwnam, getgrnam).
     *
     * @throws IOException naming the user or group that does not exist, as nginx's {@code getpwnam("x") failed}
     */
    public static Ids resolve(String user, String group) throws IOException {
        if (!Libc.LOADED) {
            throw new IOException("\"user\" is supported on Linux only");
        }
        // struct passwd and struct group both begin with two char pointers, then the uid_t/gid_t (32 bits).
        long idOffset = 2L * Native.POINTER_SIZE;
        Pointer passwd = Libc.getpwnam(user);
        if (passwd == null) {
            throw new IOException("getpwnam(\"" + user + "\") failed (no such user)");
        }
        int uid = passwd.getInt(idOffset);
        Pointer groupEntry = Libc.getgrnam(group);
        if (groupEntry == null) {
            throw new IOException("getgrnam(\"" + group + "\") failed (no such group)");
        }
        return new Ids(user, uid, group, groupEntry.getInt(idOffset));
    }

    /**
     * Switches every thread of the process to {@code ids}: the user's supplementary groups, then the group, then
     * the user, in the order that leaves no way back (glibc applies each change to all threads).
     *
     * @throws IOException naming the call that failed
     */
    public static void switchTo(Ids ids) throws IOException {
        try {
            Libc.initgroups(ids.user(), ids.gid());
        } catch (LastErrorException e) {
            throw new IOException("initgroups(" + ids.user() + ", " + ids.gid() + ") failed (" + Libc.describe(e) + ")");
        }
        try {
            Libc.setgid(ids.gid());
        } catch (LastErrorException e) {
            throw new IOException("setgid(" + ids.gid() + ") failed (" + Libc.describe(e) + ")");
        }
        try {
            Libc.setuid(ids.uid());
        } catch (LastErrorException e) {
            throw new IOException("setuid(" + ids.uid() + ") failed (" + Libc.describe(e) + ")");
        }
    }
}

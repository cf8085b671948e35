package dev.proxyline.server.http.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code auth_basic_user_file}: nginx's htpasswd format, {@code name:password[:comment]} per line, lines that
 * start with {@code #} skipped, the first line of a name counting. nginx reads the file for every request, so that an
 * edit counts at once; here each lookup costs one stat, and the file is read again only when its modification time,
 * size or identity (inode) changed. Event loops share an instance: the parsed file is an immutable snapshot swapped
 * in whole.
 */
public final class PasswordFile {
    /** What a lookup found. */
    public sealed interface Lookup permits Found, NotFound, Missing, Unreadable {
    }

    /** The user's line: its stored password hash. */
    public record Found(String hash) implements Lookup {
    }

    /** No line for the user. */
    public record NotFound() implements Lookup {
    }

    /** The file does not exist: nginx answers 403 ({@code ENOENT}); {@code log} in nginx's words. */
    public record Missing(String log) implements Lookup {
    }

    /** The file could not be read (a directory, no permission): nginx answers 500; {@code log} in nginx's words. */
    public record Unreadable(String log) implements Lookup {
    }

    private static final NotFound NOT_FOUND = new NotFound();

    private record Snapshot(FileTime modified, long size, Object key, Map<String, String> users) {
        boolean current(BasicFileAttributes now) {
            return now.lastModifiedTime().equals(modified) && now.size() == size && Objects.equals(now.fileKey(), key);
        }
    }

    private final Path path;
    private volatile Snapshot snapshot;

    public PasswordFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    public Path path() {
        return path;
    }

    /** @param user a byte string (one char per byte) */
    public Lookup find(String user) {
        Snapshot current = snapshot;
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
            if (now.isDirectory()) return new Unreadable("pread() \"" + path + "\" failed (21: Is a directory)");
            if (current == null || !current.current(now)) {
                // Read first, then keep it under the attributes seen before: an edit meanwhile is read next time.
                current = new Snapshot(now.lastModifiedTime(), now.size(), now.fileKey(), parse(Files.readAllBytes(path)));
                snapshot = current;
            }
        } catch (NoSuchFileException e) {
            snapshot = null;
            return new Missing("open() \"" + path + "\" failed (2: No such file or directory)");
        } catch (AccessDeniedException e) {
            snapshot = null;
            return new Unreadable("open() \"" + path + "\" failed (13: Permission denied)");
        } catch (IOException | SecurityException e) {
            snapshot = null;
            return new Unreadable("read of \"" + path + "\" failed (" + e + ")");
        }
        String hash = current.users().get(user);
        return hash == null ? NOT_FOUND : new Found(hash);
    }

    /**
     * As nginx's reader: a line names its user up to the first colon; the password runs to the next colon or the end
     * of the line (CR or LF); a line starting with {@code #} or CR, or without a colon, names nobody.
     */
    static Map<String, String> parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Map<String, String> users = new HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            String line = text.substring(start, end);
            start = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '\r') continue;
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            int stop = colon + 1;
            while (stop < line.length() && line.charAt(stop) != ':' && line.charAt(stop) != '\r') stop++;
            users.putIfAbsent(line.substring(0, colon), line.substring(colon + 1, stop));
        }
        return Map.copyOf(users);
    }
}

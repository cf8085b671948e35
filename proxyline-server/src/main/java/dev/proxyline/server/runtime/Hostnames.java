package dev.proxyline.server.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The machine's host name for {@code $hostname}, as nginx takes it from {@code gethostname()}:
 * without any DNS lookup ({@code InetAddress.getLocalHost()} may block on one). Read once at startup.
 */
public final class Hostnames {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private Hostnames() {
    }

    /** The kernel's host name, else {@code $HOSTNAME}, else {@code localhost}. Blocking file read: startup only. */
    public static String current() {
        return current(KERNEL_HOSTNAME, System.getenv());
    }

    static String current(Path kernelFile, Map<String, String> environment) {
        try {
            String name = Files.readString(kernelFile, StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no /proc: fall through.
        }
        String fromEnvironment = environment.get("HOSTNAME");
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment.trim() : "localhost";
    }
}

package dev.proxyline.it.harness;

import org.junit.jupiter.api.Assertions;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * nginx as a non-daemon master with everything it writes (pid, logs, temp files) under one
 * directory, so it needs neither /run nor /var and several can run side by side.
 *
 * <p>Debian builds the stream module as a dynamic module (package {@code libnginx-mod-stream});
 * a configuration with a {@code stream} block gets the {@code load_module} line it needs.
 */
public final class NginxPeer implements AutoCloseable {
    /** Where Debian (and Ubuntu) install dynamic modules; nginx -V says {@code --modules-path}. */
    private static final List<Path> STREAM_MODULE_CANDIDATES = List.of(
            Path.of("/usr/lib/nginx/modules/ngx_stream_module.so"),
            Path.of("/usr/share/nginx/modules/ngx_stream_module.so"),
            Path.of("/usr/lib64/nginx/modules/ngx_stream_module.so"));

    private final Path directory;
    private final PeerProcess process;

    private NginxPeer(Path directory, PeerProcess process) {
        this.directory = directory;
        this.process = process;
    }

    /**
     * Starts nginx with {@code blocks} (the {@code http { }} and/or {@code stream { }} blocks) and
     * waits until it accepts on every address in {@code listening}.
     */
    public static NginxPeer start(Path directory, String blocks, List<InetSocketAddress> listening) {
        Path nginx = Interop.requireBinary("nginx");
        StringBuilder conf = new StringBuilder();
        if (blocks.contains("stream {")) {
            streamModule(nginx).ifPresent(module -> conf.append("load_module ").append(module).append(";\n"));
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // Workers would otherwise run as nobody and could not write the temp files under the test's directory.
            conf.append("user root;\n");
        }
        conf.append("worker_processes 1;\n")
                .append("pid ").append(directory.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(directory.resolve("error.log")).append(" info;\n")
                .append("events { worker_connections 64; }\n")
                .append(blocks);
        Path confFile = directory.resolve("nginx.conf");
        PeerProcess.write(confFile, conf.toString());
        PeerProcess process = PeerProcess.start("nginx",
                List.of(nginx.toString(), "-p", directory + "/", "-c", confFile.toString(), "-g", "daemon off;"),
                directory);
        NginxPeer peer = new NginxPeer(directory, process);
        try {
            process.awaitAccepting(listening);
        } catch (AssertionError e) {
            peer.close();
            throw new AssertionError(e.getMessage() + "\nerror.log:\n" + peer.errorLog() + "\nnginx.conf:\n" + conf, e);
        }
        return peer;
    }

    /**
     * Directives for an {@code http} block that keep nginx's logs and temp files in the test's
     * directory; the access log uses format {@code pp}, which the caller defines.
     */
    public static String httpHousekeeping(Path directory) {
        return "    access_log " + directory.resolve("access.log") + " pp;\n"
                + "    client_body_temp_path " + directory.resolve("client_body") + ";\n"
                + "    proxy_temp_path " + directory.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + directory.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + directory.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + directory.resolve("scgi") + ";\n";
    }

    /** The version line, such as {@code nginx version: nginx/1.22.1}. */
    public static String version() {
        return Commands.run(List.of(Interop.requireBinary("nginx").toString(), "-v"), Duration.ofSeconds(5)).strip();
    }

    /**
     * The {@code load_module} path when the stream module is dynamic; empty when it is built in.
     * Fails or skips (see {@link Interop}) when it is dynamic and not installed.
     */
    static Optional<Path> streamModule(Path nginx) {
        String configure = Commands.run(List.of(nginx.toString(), "-V"), Duration.ofSeconds(5)).strip();
        if (configure.contains("--with-stream ") || configure.endsWith("--with-stream")) {
            return Optional.empty();
        }
        List<Path> candidates = new java.util.ArrayList<>();
        // The build's own --modules-path first (an nginx built elsewhere), then the usual places.
        for (String option : configure.split("\\s+")) {
            if (option.startsWith("--modules-path=")) {
                candidates.add(Path.of(option.substring("--modules-path=".length()), "ngx_stream_module.so"));
            }
        }
        candidates.addAll(STREAM_MODULE_CANDIDATES);
        return candidates.stream().filter(Files::isRegularFile).findFirst()
                .or(() -> Interop.unavailable("nginx has no stream module (Debian: package libnginx-mod-stream)"));
    }

    public String errorLog() {
        return PeerProcess.read(directory.resolve("error.log"));
    }

    public String accessLog() {
        return PeerProcess.read(directory.resolve("access.log"));
    }

    /**
     * The first line of {@code log} that matches, waiting for it: nginx writes a request's access
     * log line after the response, so it may land a moment after the client has read it.
     */
    public String awaitLine(String log, Predicate<String> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = PeerProcess.read(directory.resolve(log));
            Optional<String> line = text.lines().filter(matches).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                return Assertions.fail("no matching line in nginx " + log + " within " + timeout + ":\n" + text);
            }
            PeerProcess.sleep(Duration.ofMillis(20));
        }
    }

    /** The master process, for checks that stopping left nothing behind. */
    public ProcessHandle processHandle() {
        return process.handle();
    }

    @Override
    public void close() {
        process.close();
    }
}

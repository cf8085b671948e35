package dev.proxyline.server.app;

import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.server.transport.OpenFileLimit;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The open file limit at start: {@code worker_rlimit_nofile} applied, then nginx's warning when the connections
 * the workers may hold need more descriptors than the limit allows. nginx's workers each have the limit to
 * themselves; proxyline's share one process, so it is weighed against all of them.
 */
final class OpenFiles {
    private static final System.Logger LOG = System.getLogger(OpenFiles.class.getName());

    private OpenFiles() {}

    static void prepare(ProxylineConfig config, int workers) {
        if (!OpenFileLimit.supported()) {
            if (config.openFileLimit().isPresent()) {
                LOG.log(Level.WARNING, "worker_rlimit_nofile is ignored on this platform (64-bit Linux only)");
            }
            return;
        }
        config.openFileLimit().ifPresent(files -> {
            try {
                OpenFileLimit.set(files);
            } catch (IOException e) {
                // As nginx: the alert, and the process goes on with the limit it had.
                LOG.log(Level.ERROR, e.getMessage());
            }
        });
        try {
            long limit = OpenFileLimit.current().soft();
            // A session holds a client and an upstream socket; listeners and the JVM's own files come on top.
            long sockets = 2L * workers * config.events().workerConnections();
            if (sockets > limit) {
                LOG.log(Level.WARNING, config.events().workerConnections() + " worker_connections of " + workers
                        + " worker(s) may hold " + sockets + " sockets (a client and an upstream each), more than the "
                        + "open file resource limit: " + limit + "; raise it with worker_rlimit_nofile");
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, e.getMessage());
        }
    }
}

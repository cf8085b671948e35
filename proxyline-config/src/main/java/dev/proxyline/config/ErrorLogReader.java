package dev.proxyline.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code error_log FILE [LEVEL]}: the process's in main, http request handling's in http. nginx also takes it
 * in server and location, where proxyline refuses it (its http lines are not told apart by server).
 */
final class ErrorLogReader {
    private final ArgReader r;

    ErrorLogReader(ArgReader r) {
        this.r = r;
    }

    Optional<ErrorLog> read(Directive d) {
        ErrorLog.Level level = ErrorLog.Level.ERROR;
        if (d.args().size() == 2) {
            try {
                level = ErrorLog.Level.valueOf(d.arg(1).value().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                r.error(d.arg(1), "invalid log level \"" + d.arg(1).value()
                        + "\" (expected debug, info, notice, warn, error, crit, alert or emerg)");
                return Optional.empty();
            }
        }
        return Optional.of(new ErrorLog(d.arg(0).value(), level));
    }

    /** Refuses the {@code error_log} of a server or location block ({@code local}: that block's own). */
    void refuseInner(List<Directive> local, String block) {
        for (Directive d : local) {
            r.error(d, "\"error_log\" in " + block + " is not supported: proxyline writes one error log for all of "
                    + "http (put error_log in the http block)");
        }
    }
}

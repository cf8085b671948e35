package dev.proxyline.server.accesslog;

import dev.proxyline.config.AccessLog;
import dev.proxyline.config.LogFormat;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code log_format}s of one module compiled once against its variables, and the
 * {@code access_log} directives of any level (http, server, location) turned into targets and a
 * {@link SessionLog}. For the http module, at startup:
 *
 * <pre>{@code
 * AccessLogs logs = AccessLogs.compile(http.logFormats(), VariableTable.http(zone, hostname, pid), prefix, problems);
 * // for each location, after every problem was collected and none found:
 * SessionLog log = logs.register(writer, location.settings().accessLogs(), location.position() + ": ", problems);
 * }</pre>
 *
 * <p>Like nginx, {@code access_log off} cancels the other {@code access_log}s of its level. Unlike
 * nginx, a level without any {@code access_log} (none inherited either) writes no log: proxyline
 * creates no {@code logs/access.log} that nobody asked for.
 */
public final class AccessLogs {
    private final Map<String, LineFormat> formats;
    private final VariableTable variables;
    private final Path prefix;

    private AccessLogs(Map<String, LineFormat> formats, VariableTable variables, Path prefix) {
        this.formats = Map.copyOf(formats);
        this.variables = variables;
        this.prefix = prefix;
    }

    /**
     * Compiles every format against {@code variables}; a format that names an unknown variable is
     * added to {@code problems} (naming the format and the variable) and left out.
     *
     * @param prefix the directory relative log paths are resolved against (nginx's prefix)
     */
    public static AccessLogs compile(Map<String, LogFormat> formats, VariableTable variables, Path prefix,
                                     List<String> problems) {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(prefix, "prefix");
        Map<String, LineFormat> compiled = new LinkedHashMap<>();
        for (LogFormat format : formats.values()) {
            try {
                compiled.put(format.name(), LineFormat.compile(format, variables));
            } catch (TemplateException e) {
                problems.add(e.getMessage());
            }
        }
        return new AccessLogs(compiled, variables, prefix);
    }

    /**
     * The targets of one level's {@code access_log} directives; what proxyline cannot do (syslog,
     * variables in the path, a buffer above 2 GiB) is added to {@code problems}, prefixed with
     * {@code where}. A format that is unknown or did not compile was reported already and is skipped.
     */
    public List<LogTarget> targets(List<AccessLog> logs, String where, List<String> problems) {
        if (logs.stream().anyMatch(AccessLog.Off.class::isInstance)) {
            return List.of();
        }
        List<LogTarget> targets = new ArrayList<>(logs.size());
        for (AccessLog log : logs) {
            AccessLog.ToFile file = (AccessLog.ToFile) log;
            String problem = "";
            if (file.path().startsWith("syslog:")) {
                problem = "syslog is not supported";
            } else if (file.path().indexOf('$') >= 0) {
                problem = "variables in the path are not supported";
            } else if (file.bufferSize() > Integer.MAX_VALUE - 8) {
                problem = "buffer=" + file.bufferSize() + " is too large";
            }
            LineFormat format = formats.get(file.format());
            Optional<Template> condition = Optional.empty();
            try {
                condition = file.condition().map(text -> Template.compile(text, variables));
            } catch (TemplateException e) {
                problem = "if=" + file.condition().get() + ": " + e.getMessage();
            }
            if (!problem.isEmpty()) {
                problems.add(where + "access_log \"" + file.path() + "\": " + problem);
            } else if (format != null) {
                try {
                    targets.add(new LogTarget(prefix.resolve(file.path()), format, (int) file.bufferSize(), file.flush(),
                            condition));
                } catch (IllegalArgumentException e) { // InvalidPathException too
                    problems.add(where + "access_log \"" + file.path() + "\": " + e.getMessage());
                }
            }
        }
        return targets;
    }

    /**
     * The log of one level: {@link #targets} registered with {@code writer}, which opens the files.
     * Blocking I/O: call at startup, off the event loops. A level whose directives have a problem
     * gets {@link SessionLog#off()} and the problem is added to {@code problems}, as is a path
     * already registered with other {@code buffer=} or {@code flush=} parameters.
     *
     * @throws IOException if a file cannot be opened, naming it
     */
    public SessionLog register(AccessLogWriter writer, List<AccessLog> logs, String where, List<String> problems)
            throws IOException {
        int before = problems.size();
        List<LogTarget> targets = targets(logs, where, problems);
        if (problems.size() != before) {
            return SessionLog.off();
        }
        try {
            return writer.register(targets);
        } catch (IllegalArgumentException conflict) {
            problems.add(where + conflict.getMessage());
            return SessionLog.off();
        }
    }
}

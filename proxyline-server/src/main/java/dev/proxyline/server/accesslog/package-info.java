/**
 * Access logs of the stream and http modules: {@code log_format NAME [escape=default|json|none] ...} compiled
 * to a {@link dev.proxyline.server.accesslog.LineFormat}, {@code access_log PATH FORMAT [buffer=SIZE]
 * [flush=TIME]} to a {@link dev.proxyline.server.accesslog.LogTarget}, and one
 * {@link dev.proxyline.server.accesslog.AccessLogWriter} thread per process that writes them all.
 *
 * <p>An event loop only calls {@link dev.proxyline.server.accesslog.SessionLog#log} with the session's
 * immutable snapshot; it never formats, writes or waits. When the writer falls behind and its bounded
 * queue is full, sessions are dropped and counted rather than blocking the event loop.
 *
 * <p>{@link dev.proxyline.server.accesslog.AccessLogs} compiles a module's formats once (the http
 * ones against {@code VariableTable.http}, with nginx's predefined {@code combined}) and gives each
 * level with {@code access_log} directives its {@code SessionLog}. An http request is logged with
 * the snapshot that carries its {@code HttpExchange}, taken when the response is done.
 *
 * <p>Not supported (refused at startup with a message): variables in the path,
 * {@code syslog:} targets, {@code gzip} and {@code if=} (the configuration refuses the last two).
 */
package dev.proxyline.server.accesslog;

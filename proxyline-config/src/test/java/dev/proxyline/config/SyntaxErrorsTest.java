package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Broken input gives {@code file:line:column: message}, all errors in one run, never an exception. */
class SyntaxErrorsTest {
    @Test
    void unterminatedQuoteIsTheOnlyErrorReported() {
        assertThat(errors("stream {\n    log_format x \"$remote_addr;\n}\n"))
                .containsExactly("test.conf:2:18: unterminated quoted string (opening \" has no closing \")");
    }

    @Test
    void unterminatedBlockNamesWhereItWasOpened() {
        assertThat(errors("stream {\n  upstream u {\n    server 10.0.0.1:1;\n}\n"))
                .containsExactly("test.conf:5:1: unexpected end of file, expecting \"}\" to close the block opened at 1:8");
    }

    @Test
    void missingSemicolonBeforeClosingBrace() {
        assertThat(errors("stream {\n  upstream u { server 10.0.0.1:1 }\n}\n"))
                .containsExactly("test.conf:2:34: unexpected \"}\", expecting \";\" after \"server\" directive");
    }

    @Test
    void missingSemicolonAtEndOfLineIsDetectedAtTheNextDirective() {
        assertThat(errors("""
                stream {
                    upstream u { server 10.0.0.1:1; }
                    server {
                        listen 80
                        proxy_pass u;
                    }
                }"""))
                .containsExactly("test.conf:4:18: missing \";\" after \"listen\" directive (\"proxy_pass\" on the next line starts a new directive)");
    }

    @Test
    void multiLineListenFlagsAreNotMistakenForDirectives() {
        TestConfigs.ok("""
                stream {
                    upstream u { server 10.0.0.1:1; }
                    server {
                        listen 80
                               proxy_protocol;
                        proxy_pass u;
                    }
                }""");
    }

    @Test
    void missingSemicolonAtEndOfFile() {
        assertThat(errors("worker_processes 2"))
                .containsExactly("test.conf:1:19: unexpected end of file, expecting \";\" or \"{\" after \"worker_processes\" directive");
    }

    @Test
    void strayPunctuation() {
        assertThat(errors("}\n;\n{ }\n")).containsExactly(
                "test.conf:1:1: unexpected \"}\" (no block is open)",
                "test.conf:2:1: unexpected \";\" (no directive before it)",
                "test.conf:3:1: unexpected \"{\" (a block needs a directive name before it)");
    }

    @Test
    void unknownAndUnsupportedDirectives() {
        assertThat(errors("""
                worker_priority -5;
                frobnicate on;
                stream {
                    tcp_nodelay on;
                    server {
                        listen 1;
                        proxy_pass 10.0.0.1:1;
                        proxy_download_rate 10k;
                        proxy_read_timeout 5s;
                        made_up 1;
                    }
                }
                http {
                    sub_filter a b;
                    server { location / { root /srv; } }
                }""")).containsExactly(
                "test.conf:1:1: unsupported directive \"worker_priority\" in main context (nginx has it, proxyline does not)",
                "test.conf:2:1: unknown directive \"frobnicate\"",
                "test.conf:4:5: unsupported directive \"tcp_nodelay\" in stream (nginx has it, proxyline does not)",
                "test.conf:8:9: unsupported directive \"proxy_download_rate\" in stream server (nginx has it, proxyline does not)",
                "test.conf:9:9: \"proxy_read_timeout\" directive is not allowed in stream server (allowed in: http, http server, location)",
                "test.conf:10:9: unknown directive \"made_up\"",
                "test.conf:14:5: unsupported directive \"sub_filter\" in http (nginx has it, proxyline does not)",
                "test.conf:15:27: unsupported directive \"root\" in location (nginx has it, proxyline does not)");
    }

    @Test
    void directivesInTheWrongContext() {
        assertThat(errors("""
                listen 80;
                stream {
                    upstream u { listen 1; server 10.0.0.1:1; }
                    server { listen 2; proxy_pass u; log_format f x; }
                    worker_connections 10;
                }
                events { worker_processes 2; }
                """)).containsExactly(
                "test.conf:1:1: \"listen\" directive is not allowed in main context (allowed in: http server, stream server)",
                "test.conf:3:18: \"listen\" directive is not allowed in stream upstream (allowed in: http server, stream server)",
                "test.conf:4:38: \"log_format\" directive is not allowed in stream server (allowed in: http, stream)",
                "test.conf:5:5: \"worker_connections\" directive is not allowed in stream (allowed in: events)",
                "test.conf:7:10: \"worker_processes\" directive is not allowed in events (allowed in: main context)");
    }

    @Test
    void arityBlocksAndDuplicates() {
        assertThat(errors("""
                worker_processes;
                pid /a /b;
                stream;
                http { } http { }
                events { worker_connections 1 { } }
                error_log /a; error_log /b;
                """)).containsExactly(
                "test.conf:1:1: invalid number of arguments in \"worker_processes\" directive (expected 1, got 0)",
                "test.conf:2:1: invalid number of arguments in \"pid\" directive (expected 1, got 2)",
                "test.conf:3:1: directive \"stream\" has no opening \"{\"",
                "test.conf:4:10: \"http\" directive is duplicate (first at line 4)",
                "test.conf:5:10: directive \"worker_connections\" takes no block; it must end with \";\"",
                "test.conf:6:15: \"error_log\" directive is duplicate (first at line 6)");
    }

    @Test
    void manyDifferentErrorsInOneRun() {
        assertThat(errors("""
                worker_processes zero;
                stream {
                    upstream u { server 10.0.0.1:1 weight=0; }
                    server {
                        listen 80;
                        proxy_pass missing;
                        proxy_protocol_version 9;
                        proxy_timeout soon;
                    }
                    server { listen 80; proxy_pass u; proxy_requests 1; }
                }
                """)).containsExactly(
                "test.conf:1:18: invalid number \"zero\" in \"worker_processes\" directive (expected 1-4096)",
                "test.conf:3:36: invalid number \"0\" in \"server\" directive (expected 1-1000000)",
                "test.conf:6:20: no upstream named \"missing\" and \"missing\" has no port, in \"proxy_pass\" directive",
                "test.conf:7:32: invalid value \"9\" in \"proxy_protocol_version\" directive, it must be 1 or 2",
                "test.conf:8:23: invalid time \"soon\" in \"proxy_timeout\" directive (expected e.g. 500ms, 5s, 1m30s, 1h; units ms s m h d w M y)",
                "test.conf:10:39: unsupported directive \"proxy_requests\" in stream server (nginx has it, proxyline does not)");
    }

    @Test
    void errorToStringIsFileLineColumnMessage() {
        assertThat(new ConfigError("/etc/p.conf", 3, 7, "boom")).hasToString("/etc/p.conf:3:7: boom");
    }

    @Test
    void byteOrderMarkAndWindowsLineEndingsAreFine() {
        assertThat(TestConfigs.ok("\uFEFFworker_processes 2;\r\nevents {\r\n  worker_connections 9;\r\n}\r\n")
                .events().workerConnections()).isEqualTo(9);
    }
}

package dev.proxyline.server.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
    @TempDir
    Path directory;

    @Test
    void linesAreReadAsNginxReadsThem() {
        Map<String, String> users = PasswordFile.parse(("""
                # staff
                alice:{PLAIN}one:Alice Smith
                bob:$apr1$x$y
                alice:{PLAIN}second line does not count
                nocolon
                :{PLAIN}nameless
                carol:{PLAIN}crlf\r
                \r
                #dave:{PLAIN}commented
                erin:""" + "\n" + "last:{PLAIN}no newline").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(users).containsOnly(Map.entry("alice", "{PLAIN}one"), Map.entry("bob", "$apr1$x$y"),
                Map.entry("carol", "{PLAIN}crlf"), Map.entry("erin", ""), Map.entry("last", "{PLAIN}no newline"));
    }

    @Test
    void anEditIsSeenByTheNextLookupWithoutAReload() throws Exception {
        Path file = directory.resolve("htpasswd");
        Files.writeString(file, "alice:{PLAIN}one\n");
        PasswordFile passwords = new PasswordFile(file);
        assertThat(passwords.find("alice")).isEqualTo(new PasswordFile.Found("{PLAIN}one"));
        assertThat(passwords.find("bob")).isInstanceOf(PasswordFile.NotFound.class);
        // Same size, and the modification time set back: still seen, as a change of either is enough.
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, "alice:{PLAIN}two\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        assertThat(Files.getLastModifiedTime(file)).isNotEqualTo(before);
        assertThat(passwords.find("alice")).isEqualTo(new PasswordFile.Found("{PLAIN}two"));
        Files.writeString(file, "bob:{PLAIN}three\n");
        assertThat(passwords.find("alice")).isInstanceOf(PasswordFile.NotFound.class);
        assertThat(passwords.find("bob")).isEqualTo(new PasswordFile.Found("{PLAIN}three"));
    }

    @Test
    void aMissingFileAndADirectoryAreToldApart() throws Exception {
        Path file = directory.resolve("htpasswd");
        PasswordFile passwords = new PasswordFile(file);
        assertThat(passwords.find("alice")).isEqualTo(new PasswordFile.Missing(
                "open() \"" + file + "\" failed (2: No such file or directory)"));
        Files.writeString(file, "alice:{PLAIN}one\n");
        assertThat(passwords.find("alice")).isEqualTo(new PasswordFile.Found("{PLAIN}one"));
        Files.delete(file);
        assertThat(passwords.find("alice")).isInstanceOf(PasswordFile.Missing.class);
        assertThat(new PasswordFile(directory).find("alice")).isEqualTo(new PasswordFile.Unreadable(
                "pread() \"" + directory + "\" failed (21: Is a directory)"));
    }
}

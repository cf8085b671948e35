package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/**
 * nginx's {@code auth_basic}, {@code auth_basic_user_file} and {@code satisfy}, as merged for one level: each is
 * inherited on its own, as nginx merges them.
 *
 * @param realm        the {@code auth_basic} text (may hold variables); empty for none or {@code off}
 * @param userFile     the {@code auth_basic_user_file} path as written (relative to the prefix at runtime); empty
 *                     for none
 * @param filePosition where the file was named, for errors at startup; empty with no file
 * @param any          {@code satisfy any}: allow/deny or auth_basic passing lets a request in; else both must
 */
public record AuthBasic(Optional<String> realm, Optional<String> userFile, Optional<Position> filePosition,
                        boolean any) {
    /** Nothing configured: nginx's defaults ({@code auth_basic off}, {@code satisfy all}). */
    public static final AuthBasic OFF = new AuthBasic(Optional.empty(), Optional.empty(), Optional.empty(), false);

    public AuthBasic {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(userFile, "userFile");
        Objects.requireNonNull(filePosition, "filePosition");
    }

    /** Both a realm and a file: nginx asks for credentials only then. */
    public boolean enabled() {
        return realm.isPresent() && userFile.isPresent();
    }
}

package dev.proxyline.config;

import java.util.Objects;

/**
 * {@code user USER [GROUP]}: whom the process runs as once its sockets are bound, when started as root.
 *
 * @param position where the directive is
 * @param user     the user's name
 * @param group    the group's name; nginx's default is the group named as the user
 */
public record RunAs(Position position, String user, String group) {
    public RunAs {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
    }
}

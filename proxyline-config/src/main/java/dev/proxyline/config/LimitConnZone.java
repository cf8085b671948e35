package dev.proxyline.config;

import java.util.Objects;

/**
 * {@code limit_conn_zone KEY zone=NAME:SIZE}: requests in progress counted per value of {@code key} (text with
 * variables; an empty value is not counted), for {@code limit_conn} to cap.
 *
 * @param position where the directive is
 * @param key      the key, as written
 * @param name     the zone's name
 * @param size     the zone's size in bytes, which bounds how many keys it holds at once
 */
public record LimitConnZone(Position position, String key, String name, long size) {
    public LimitConnZone {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        if (size <= 0) throw new IllegalArgumentException("size " + size);
    }
}

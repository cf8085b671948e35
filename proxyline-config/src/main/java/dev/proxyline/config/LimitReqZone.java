package dev.proxyline.config;

import java.util.Objects;

/**
 * {@code limit_req_zone KEY zone=NAME:SIZE rate=RATE}: a leaky bucket per value of {@code key} (text with variables;
 * an empty value is not limited), for {@code limit_req} to check requests against.
 *
 * @param position where the directive is
 * @param key      the key, as written
 * @param name     the zone's name
 * @param size     the zone's size in bytes, which bounds how many keys it keeps
 * @param rate     the rate in thousandths of a request per second, as nginx keeps it ({@code 1r/m} is 16)
 */
public record LimitReqZone(Position position, String key, String name, long size, long rate) {
    public LimitReqZone {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        if (size <= 0) throw new IllegalArgumentException("size " + size);
        if (rate <= 0) throw new IllegalArgumentException("rate " + rate);
    }
}

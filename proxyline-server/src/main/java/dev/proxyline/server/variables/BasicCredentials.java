package dev.proxyline.server.variables;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user and password of an {@code Authorization: Basic} field, read as nginx's {@code ngx_http_auth_basic_user}
 * reads them: {@code Basic} in any case, a space and any more spaces, then base64 up to the first {@code =} (what
 * follows it is ignored), decoded to {@code user:password} with a non-empty user. Both are byte strings (one char per
 * byte), as the variables and the password file are read.
 */
public record BasicCredentials(String user, String password) {
    private static final String BASIC = "Basic ";

    /** Empty where nginx declines: another scheme, no credentials, bad base64, no colon or an empty user. */
    public static Optional<BasicCredentials> parse(String authorization) {
        if (authorization.length() < BASIC.length()
                || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        int start = BASIC.length();
        while (start < authorization.length() && authorization.charAt(start) == ' ') start++;
        int end = authorization.indexOf('=', start);
        if (end < 0) end = authorization.length();
        if (end == start) return Optional.empty();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(
                    authorization.substring(start, end).getBytes(StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty(); // a character outside the alphabet, or a length nginx refuses too (4n+1)
        }
        String text = new String(decoded, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        if (colon <= 0) return Optional.empty();
        return Optional.of(new BasicCredentials(text.substring(0, colon), text.substring(colon + 1)));
    }
}

package dev.proxyline.server.variables;

import java.util.List;

/**
 * nginx's ways of finding things in request fields, without allocating: header names as variable
 * names, arguments in the query and cookies in the {@code Cookie} headers. All text is byte strings.
 */
final class HttpFields {
    private HttpFields() {
    }

    /**
     * Whether header {@code name} is called {@code variableName} in nginx's spelling: lower case with
     * {@code _} for {@code -}.
     */
    static boolean headerNamed(String name, String variableName) {
        int n = name.length();
        if (n != variableName.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c | 0x20);
            } else if (c == '-') {
                c = '_';
            }
            if (c != variableName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends every header called {@code variableName}, in order, joined by {@code separator} and a
     * space, as nginx 1.23+ joins repeated headers.
     *
     * @return false if there is none
     */
    static boolean appendHeaders(List<HttpExchange.Header> headers, String variableName, char separator,
                                 StringBuilder out) {
        boolean found = false;
        for (int i = 0; i < headers.size(); i++) {
            HttpExchange.Header header = headers.get(i);
            if (headerNamed(header.name(), variableName)) {
                if (found) {
                    out.append(separator).append(' ');
                }
                out.append(header.value());
                found = true;
            }
        }
        return found;
    }

    /**
     * Appends the first header called {@code variableName}, for the variables nginx takes from one
     * header ({@code $content_length}, {@code $content_type}).
     *
     * @return false if there is none
     */
    static boolean appendFirst(List<HttpExchange.Header> headers, String variableName, StringBuilder out) {
        for (int i = 0; i < headers.size(); i++) {
            HttpExchange.Header header = headers.get(i);
            if (headerNamed(header.name(), variableName)) {
                out.append(header.value());
                return true;
            }
        }
        return false;
    }

    /**
     * Appends the value of argument {@code name} in {@code args} (without {@code ?}): the first
     * {@code name=} at the start or after {@code &}, name ignoring case, value up to the next
     * {@code &}, not decoded, as nginx's {@code ngx_http_arg}.
     *
     * @return false if there is no such argument
     */
    static boolean appendArgument(String args, String name, StringBuilder out) {
        int length = name.length();
        int last = args.length() - length - 1; // the last start that leaves room for '='
        for (int start = 0; start <= last; start++) {
            if ((start == 0 || args.charAt(start - 1) == '&') && args.charAt(start + length) == '='
                    && args.regionMatches(true, start, name, 0, length)) {
                int from = start + length + 1;
                int end = args.indexOf('&', from);
                out.append(args, from, end < 0 ? args.length() : end);
                return true;
            }
        }
        return false;
    }

    /**
     * Appends the value of cookie {@code name} from the {@code Cookie} headers: the first pair whose
     * name matches ignoring case, spaces around {@code =} skipped, value up to {@code ;}, as nginx's
     * {@code ngx_http_parse_multi_header_lines}.
     *
     * @return false if there is no such cookie
     */
    static boolean appendCookie(List<HttpExchange.Header> headers, String name, StringBuilder out) {
        for (int i = 0; i < headers.size(); i++) {
            HttpExchange.Header header = headers.get(i);
            if (header.name().equalsIgnoreCase("cookie") && appendCookie(header.value(), name, out)) {
                return true;
            }
        }
        return false;
    }

    private static boolean appendCookie(String value, String name, StringBuilder out) {
        int end = value.length();
        int start = 0;
        while (start < end) {
            if (value.regionMatches(true, start, name, 0, name.length())) {
                int p = skipSpaces(value, start + name.length());
                if (p < end && value.charAt(p) == '=') {
                    int from = skipSpaces(value, p + 1);
                    int to = from;
                    while (to < end && value.charAt(to) != ';') {
                        to++;
                    }
                    out.append(value, from, to);
                    return true;
                }
            }
            // Not this pair: skip to the next one, after ';' or ',' and spaces.
            while (start < end) {
                char c = value.charAt(start++);
                if (c == ';' || c == ',') {
                    break;
                }
            }
            start = skipSpaces(value, start);
        }
        return false;
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}

package dev.proxyline.bench.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options of the load tools, with typed getters and defaults. */
record LoadArgs(Map<String, String> values) {

    static LoadArgs parse(String[] args, List<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: " + String.join(" ", known.stream().map(k -> "--" + k + " V").toList())
                        + " (got " + args[i] + ")");
            }
            values.put(name, args[i + 1]);
        }
        return new LoadArgs(Map.copyOf(values));
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double decimal(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    /** An IPv4 literal and port, {@code 127.0.0.1:8080}; loopback only, no name is resolved. */
    InetSocketAddress address(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " HOST:PORT is required");
        }
        return socketAddress(value);
    }

    static InetSocketAddress socketAddress(String value) {
        int colon = value.lastIndexOf(':');
        String host = value.substring(0, colon);
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 literal: " + host);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(value.substring(colon + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 literal: " + host, e);
        }
    }
}

package dev.proxyline.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The entry point of the runnable jar. */
public final class Main {
    private Main() {
    }

    /** Runs {@code proxyline} with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        // UTF-8 whatever the platform's default, since the pp tools print JSON.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8)), true);
        int exitCode = Cli.create(System.in, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }
}

package dev.proxyline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What this build is. The version comes from a resource the build fills in, not from the jar
 * manifest, so that it is also right when running from {@code target/classes} (tests, IDEs).
 */
final class BuildInfo implements IVersionProvider {
    private static final String RESOURCE = "build.properties";

    /** The project version, such as {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return properties.getProperty("version", "unknown");
    }

    /** One line: {@code proxyline 0.1.0 (Java 17.0.15)}. */
    static String describe() {
        return "proxyline " + version() + " (Java " + Runtime.version() + ")";
    }

    @Override
    public String[] getVersion() {
        return new String[] {describe()};
    }
}

package dev.proxyline.server.tls;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The self-signed certificate for {@code localhost}, 127.0.0.1 and ::1 that serves {@code ssl} listeners
 * whose server has no {@code ssl_certificate}: generated at the first start into a directory, reused by
 * later starts while it is valid for at least another day, regenerated otherwise.
 */
public final class DevelopmentCertificate {
    /** Under the configuration file's directory unless told otherwise. */
    public static final Path DEFAULT_DIRECTORY = Path.of(".proxyline", "dev-cert");
    static final String CERTIFICATE_FILE = "localhost.crt";
    static final String KEY_FILE = "localhost.key";
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);
    private static final List<InetAddress> LOOPBACKS = List.of(
            address(new byte[] {127, 0, 0, 1}), address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));

    private final Path directory;
    private final Clock clock;
    private final System.Logger logger;

    /** Kept in {@link #DEFAULT_DIRECTORY} under {@code configDirectory}, logging to this package's logger. */
    public static DevelopmentCertificate under(Path configDirectory) {
        return new DevelopmentCertificate(configDirectory.resolve(DEFAULT_DIRECTORY), Clock.systemUTC(),
                System.getLogger(DevelopmentCertificate.class.getPackageName()));
    }

    /** The certificate file that {@link #under} keeps for {@code configDirectory}: the one clients are told to trust. */
    public static Path certificateUnder(Path configDirectory) {
        return configDirectory.resolve(DEFAULT_DIRECTORY).resolve(CERTIFICATE_FILE);
    }

    public DevelopmentCertificate(Path directory, Clock clock, System.Logger logger) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    /** The files, generated first when missing, unreadable or about to expire; logs one line either way. */
    public CertificateFiles ensure() throws TlsSetupException {
        CertificateFiles files = new CertificateFiles(
                new PemFile(directory.resolve(CERTIFICATE_FILE), "development certificate", Optional.empty()),
                new PemFile(directory.resolve(KEY_FILE), "development certificate key", Optional.empty()));
        Instant now = clock.instant();
        if (usable(files, now)) {
            logger.log(Level.INFO, "using the self-signed development certificate " + files.certificate().path()
                    + " (localhost, 127.0.0.1, ::1) for ssl servers without ssl_certificate: for development only");
            return files;
        }
        try {
            Files.createDirectories(directory);
            CertifiedKey key = SelfSigned.generate(SelfSigned.KeyType.EC, "localhost", List.of("localhost"),
                    LOOPBACKS, now, VALIDITY);
            SelfSigned.write(key, files.certificate().path(), files.key().path());
        } catch (IOException e) {
            throw new TlsSetupException(List.of("cannot write the development certificate into " + directory + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); set ssl_certificate instead"));
        }
        logger.log(Level.INFO, "generated a self-signed development certificate " + files.certificate().path()
                + " (localhost, 127.0.0.1, ::1) for ssl servers without ssl_certificate: for development only, "
                + "clients must be told to trust it (curl --cacert " + files.certificate().path() + ")");
        return files;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("a 4 or 16 byte address", e);
        }
    }

    private static boolean usable(CertificateFiles files, Instant now) {
        if (!Files.isRegularFile(files.certificate().path()) || !Files.isRegularFile(files.key().path())) return false;
        try {
            CertifiedKey existing = PemKeys.load(files);
            return existing.leaf().getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
        } catch (TlsSetupException e) {
            return false;
        }
    }
}

package dev.proxyline.server.tls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads each certificate once for all listeners of a start; the development certificate is generated or
 * found only when some server needs it, and only once. Used at startup, from one thread.
 */
public final class CertificateStore {
    private final DevelopmentCertificate development;
    private final Map<CertificateFiles, CertifiedKey> loaded = new HashMap<>();
    private Optional<CertificateFiles> developmentFiles = Optional.empty();

    public CertificateStore(DevelopmentCertificate development) {
        this.development = Objects.requireNonNull(development, "development");
    }

    /** The key and chain of {@code source}. */
    public CertifiedKey get(CertificateSource source) throws TlsSetupException {
        CertificateFiles files;
        if (source instanceof CertificateSource.Configured c) {
            files = c.files();
        } else {
            if (developmentFiles.isEmpty()) developmentFiles = Optional.of(development.ensure());
            files = developmentFiles.get();
        }
        CertifiedKey key = loaded.get(files);
        if (key == null) {
            key = PemKeys.load(files);
            loaded.put(files, key);
        }
        return key;
    }

    /** The keys of every source, with the problems of all of them at once. */
    public List<CertifiedKey> getAll(List<CertificateSource> sources) throws TlsSetupException {
        List<String> problems = new ArrayList<>();
        List<CertifiedKey> keys = new ArrayList<>();
        for (CertificateSource s : sources) {
            try {
                keys.add(get(s));
            } catch (TlsSetupException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        return keys;
    }
}

package io.rangestreams.spi;

import io.rangestreams.RangeStreamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which servers' certificates a transport trusts over https, in place of the JVM's default trust store:
 * the CA certificates of a PEM file (curl's {@code --cacert}), or a caller's own {@link SSLContext}.
 *
 * <p>OkHttp wants the trust manager besides the context; a trust built from an {@link SSLContext} alone
 * has none, and OkHttp then gets the platform's default one, which it uses only for certificate pinning
 * (never set by this library): the handshake itself is checked by the context.
 *
 * @param sslContext the context the transport's TLS connections are made with
 * @param trustManager the trust manager inside {@code sslContext}, when known
 */
public record TlsTrust(SSLContext sslContext, Optional<X509TrustManager> trustManager) {

    /** Validates the trust. */
    public TlsTrust {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(trustManager, "trustManager");
    }

    /** Trust in the caller's own context (which may also hold client keys). */
    public static TlsTrust of(SSLContext context) {
        return new TlsTrust(context, Optional.empty());
    }

    /** Trust in exactly the certificates {@code trustManager} trusts. */
    public static TlsTrust of(X509TrustManager trustManager) {
        Objects.requireNonNull(trustManager, "trustManager");
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return new TlsTrust(context, Optional.of(trustManager));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Trust in the CA certificates of a PEM file (one or more {@code -----BEGIN CERTIFICATE-----} blocks),
     * and in those alone: the JVM's default CAs are not added.
     *
     * @throws IOException naming the file if it cannot be read or holds no certificate
     */
    public static TlsTrust fromPem(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such CA certificate file");
        } catch (CertificateException e) {
            throw new IOException("cannot read CA certificates from " + file + ": " + oneLine(e.getMessage()), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + file + " (expected PEM blocks -----BEGIN CERTIFICATE-----)");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509TrustManager x509) {
                    return of(x509);
                }
            }
            throw new IllegalStateException("the JVM's trust manager factory made no X509TrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot use the CA certificates of " + file + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * The one-line error for a TLS failure talking to {@code uri}'s host: which host, why, and what to do
     * when the cause is an untrusted certificate.
     */
    public static RangeStreamException failure(URI uri, SSLException cause) {
        String host = uri.getHost() + ":" + (uri.getPort() != -1 ? uri.getPort() : 443);
        String why = oneLine(rootMessage(cause));
        boolean untrusted = why.contains("PKIX") || why.contains("certification path")
                || why.contains("not trusted") || why.contains("unable to find valid");
        String hint = untrusted ? ": the server's certificate is not trusted (give its CA certificate as trust,"
                + " with --cacert FILE or TransportOptions.withTrust)" : "";
        return new RangeStreamException("TLS with " + host + " failed" + hint + " (" + why + ")", cause);
    }

    /** The TLS failure within {@code e}'s causes, if any. */
    public static Optional<SSLException> tlsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return Optional.of(ssl);
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}

package io.rangestreams.tck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The test servers' TLS material: a self-signed EC certificate for the IP address 127.0.0.1, made once per
 * JVM by the JDK's {@code keytool}, with the server's and the clients' contexts for it.
 *
 * @param server the context of a server presenting the certificate
 * @param client a client context that trusts the certificate
 * @param trustManager a trust manager that trusts the certificate
 * @param certificatePem the certificate as PEM text
 */
record TestCertificate(SSLContext server, SSLContext client, X509TrustManager trustManager, String certificatePem) {

    private static TestCertificate made;

    /** The certificate of this JVM, made on first use. */
    static synchronized TestCertificate get() throws IOException {
        if (made == null) {
            made = make();
        }
        return made;
    }

    private static TestCertificate make() throws IOException {
        char[] password = "range-server".toCharArray();
        Path dir = Files.createTempDirectory("range-server-tls");
        Path store = dir.resolve("range-server.p12");
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "range-server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "7",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(password),
                    "-keypass", new String(password))
                    .redirectErrorStream(true)
                    .start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed to make a test certificate: "
                        + new String(output, StandardCharsets.UTF_8));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            Certificate cert = keys.getCertificate("range-server");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("range-server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            X509TrustManager trustManager = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {trustManager}, null);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new TestCertificate(server, client, trustManager, pem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making a test certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the test certificate: " + e, e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }
}

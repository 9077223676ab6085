package io.covenant.core.attestation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Intel SGX Root CA, the root of every PCK certificate chain and so of every TDX quote's trust. Intel publishes
 * it at {@code https://certificates.trustedservices.intel.com/Intel_SGX_Provisioning_Certification_RootCA.pem}
 * (Intel SGX PCK Certificate and Certificate Revocation List Profile Specification, section 1.4); the copy below was
 * taken from the Apache-2.0 google/go-tdx-guest repository ({@code verify/trusted_root.pem}) and is checked against its
 * SHA-256 fingerprint when loaded, so a corrupted constant cannot silently become a different root.
 */
public final class IntelRootCa {
  /** SHA-256 of the DER encoding of "Intel SGX Root CA" (self-signed, EC P-256, valid 2018-05-21 to 2049-12-31). */
  public static final String SGX_ROOT_CA_SHA256 = "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";

  private static final String SGX_ROOT_CA_PEM = """
      -----BEGIN CERTIFICATE-----
      MIICjzCCAjSgAwIBAgIUImUM1lqdNInzg7SVUr9QGzknBqwwCgYIKoZIzj0EAwIw
      aDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENv
      cnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJ
      BgNVBAYTAlVTMB4XDTE4MDUyMTEwNDUxMFoXDTQ5MTIzMTIzNTk1OVowaDEaMBgG
      A1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0
      aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYT
      AlVTMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC6nEwMDIYZOj/iPWsCzaEKi7
      1OiOSLRFhWGjbnBVJfVnkY4u3IjkDYYL0MxO4mqsyYjlBalTVYxFP2sJBK5zlKOB
      uzCBuDAfBgNVHSMEGDAWgBQiZQzWWp00ifODtJVSv1AbOScGrDBSBgNVHR8ESzBJ
      MEegRaBDhkFodHRwczovL2NlcnRpZmljYXRlcy50cnVzdGVkc2VydmljZXMuaW50
      ZWwuY29tL0ludGVsU0dYUm9vdENBLmRlcjAdBgNVHQ4EFgQUImUM1lqdNInzg7SV
      Ur9QGzknBqwwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8CAQEwCgYI
      KoZIzj0EAwIDSQAwRgIhAOW/5QkR+S9CiSDcNoowLuPRLsWGf/Yi7GSX94BgwTwg
      AiEA4J0lrHoMs+Xo5o/sX6O9QWxHRAvZUGOdRQ7cvqRXaqI=
      -----END CERTIFICATE-----
      """;

  private IntelRootCa() {}

  /** The Intel SGX Root CA, checked against {@link #SGX_ROOT_CA_SHA256}. */
  public static X509Certificate sgxRootCa() {
    X509Certificate root = parseChain(SGX_ROOT_CA_PEM, "the built-in Intel SGX Root CA").getFirst();
    String actual = sha256(root);
    if (!actual.equals(SGX_ROOT_CA_SHA256)) {
      throw new TdxAttestationException("the built-in Intel SGX Root CA has fingerprint " + actual + ", not " + SGX_ROOT_CA_SHA256
          + ": the constant was altered");
    }
    return root;
  }

  /**
   * Parses a run of PEM certificates (as a quote's PCK certification data carries them: PCK, intermediate CA, root),
   * ignoring trailing NUL bytes, which some quote generators leave after the last certificate.
   */
  public static List<X509Certificate> parseChain(String pem, String what) {
    String text = pem.replace("\0", "").strip();
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) throw new TdxAttestationException(what + " holds no certificate");
      return List.copyOf(out);
    } catch (CertificateException | ClassCastException e) {
      throw new TdxAttestationException(what + " is not a run of X.509 certificates in PEM form: " + e.getMessage(), e);
    }
  }

  /** SHA-256 fingerprint (lower-case hex) of a certificate's DER encoding. */
  public static String sha256(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("SHA-256 and DER encoding are always available", e);
    }
  }
}

package io.covenant.core.attestation;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test stand-in for AMD's key hierarchy, shaped like the real one (AMD pub. 57230): an RSA ARK that signs itself and
 * an ASK with RSASSA-PSS SHA-384, and a per-chip EC P-384 VCEK carrying the TCB SVN extensions and hwID. It builds
 * spec-layout ATTESTATION_REPORTs and signs them with the VCEK the way the AMD secure processor does. Public in core's
 * test jar so the worker's tests can present SNP evidence too.
 */
public final class SnpTestPlatform {
  public static final BouncyCastleProvider BC = new BouncyCastleProvider();
  public static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  public static final SnpTcb TCB = new SnpTcb(3, 0, 8, 115);

  public final KeyPair arkKeys = rsa();
  public final KeyPair askKeys = rsa();
  public final X509Certificate ark;
  public final X509Certificate ask;
  public final byte[] chipId = filled(SnpReport.CHIP_ID_BYTES, 0x5C);
  public final KeyPair vcekKeys = p384();
  public final X509Certificate vcek;

  public SnpTestPlatform() {
    ark = cert("CN=ARK-Test", arkKeys.getPublic(), "CN=ARK-Test", arkKeys.getPrivate(), true, null, null);
    ask = cert("CN=SEV-Test", askKeys.getPublic(), "CN=ARK-Test", arkKeys.getPrivate(), true, null, null);
    vcek = vcekFor(vcekKeys.getPublic(), chipId, TCB);
  }

  public X509Certificate vcekFor(PublicKey key, byte[] hwid, SnpTcb tcb) {
    return cert("CN=SEV-VCEK", key, "CN=SEV-Test", askKeys.getPrivate(), false, hwid, tcb);
  }

  public static String measurementHex(byte[] m) {
    return java.util.HexFormat.of().formatHex(m);
  }

  public SnpPolicy policy(byte[] allowedMeasurement) {
    return new SnpPolicy(ark, Set.of(measurementHex(allowedMeasurement)), TCB, false);
  }

  public SnpVerifier verifier(byte[] allowedMeasurement) {
    return new SnpVerifier(policy(allowedMeasurement), CLOCK);
  }

  /** An unsigned report in the spec's layout with the given fields; everything else is a plausible value. */
  public static final class Report {
    public byte[] reportData = filled(64, 0x11);
    public byte[] measurement = filled(48, 0x22);
    public long policy = 0x30000L; // ABI 0.0, reserved bit 16 set, SMT allowed: a production guest policy
    public int vmpl = 0;
    public SnpTcb reportedTcb = TCB;
    public byte[] chipId = filled(64, 0x5C);
    public int signatureAlgo = SnpReport.ALGO_ECDSA_P384_SHA384;
    public int version = 2;

    public byte[] unsigned() {
      ByteBuffer b = ByteBuffer.allocate(SnpReport.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(SnpReport.OFF_VERSION, version);
      b.putInt(SnpReport.OFF_GUEST_SVN, 1);
      b.putLong(SnpReport.OFF_POLICY, policy);
      b.putInt(SnpReport.OFF_VMPL, vmpl);
      b.putInt(SnpReport.OFF_SIGNATURE_ALGO, signatureAlgo);
      b.put(SnpReport.OFF_CURRENT_TCB, reportedTcb.encode());
      b.put(SnpReport.OFF_REPORT_DATA, reportData);
      b.put(SnpReport.OFF_MEASUREMENT, measurement);
      b.put(SnpReport.OFF_REPORTED_TCB, reportedTcb.encode());
      b.put(SnpReport.OFF_CHIP_ID, chipId);
      b.put(SnpReport.OFF_COMMITTED_TCB, reportedTcb.encode());
      b.put(SnpReport.OFF_LAUNCH_TCB, reportedTcb.encode());
      return b.array();
    }
  }

  /** Signs bytes 0x000-0x29F with {@code key} and writes R and S as 72-byte little-endian fields at 0x2A0. */
  public static byte[] sign(byte[] report, PrivateKey key) {
    try {
      Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
      s.initSign(key);
      s.update(report, 0, SnpReport.SIGNED_BYTES);
      byte[] rs = s.sign();
      byte[] out = report.clone();
      Arrays.fill(out, SnpReport.OFF_SIGNATURE, SnpReport.BYTES, (byte) 0);
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < 48; i++) out[SnpReport.OFF_SIGNATURE + 72 * c + i] = rs[48 * c + 47 - i];
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] signed(Report r) {
    return sign(r.unsigned(), vcekKeys.getPrivate());
  }

  public static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048); // AMD's ARK/ASK are RSA-4096; 2048 keeps the tests quick and exercises the same code
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair p384() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp384r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate cert(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca, byte[] hwid, SnpTcb tcb) {
    try {
      var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(System.nanoTime()),
          Date.from(NOW.minus(365, ChronoUnit.DAYS)), Date.from(NOW.plus(365, ChronoUnit.DAYS)), new X500Name(subject), key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (tcb != null) {
        ext(b, SnpVerifier.OID_BL_SPL, new ASN1Integer(tcb.bootLoader()));
        ext(b, SnpVerifier.OID_TEE_SPL, new ASN1Integer(tcb.tee()));
        ext(b, SnpVerifier.OID_SNP_SPL, new ASN1Integer(tcb.snp()));
        ext(b, SnpVerifier.OID_UCODE_SPL, new ASN1Integer(tcb.microcode()));
        ext(b, SnpVerifier.OID_HWID, new DEROctetString(hwid));
      }
      var signer = new JcaContentSignerBuilder("SHA384WITHRSAANDMGF1").setProvider(BC).build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void ext(JcaX509v3CertificateBuilder b, String oid, ASN1Encodable v) throws Exception {
    b.addExtension(new ASN1ObjectIdentifier(oid), false, v);
  }
}

package io.covenant.core.attestation;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test stand-in for Intel's TDX attestation hierarchy, shaped like the real one: an EC P-256 "SGX Root CA" that
 * signs itself and a PCK CA, a PCK certificate carrying the SGX extensions OID, and a quoting enclave that signs its QE
 * report with the PCK key and the quote with an attestation key, in the byte layout of Intel's TDX DCAP Quoting Library
 * API (quote v4 and v5). Public in core's test jar so the worker's tests can present TDX evidence too.
 */
public final class TdxTestPlatform {
  public static final Instant NOW = SnpTestPlatform.NOW;

  public final KeyPair rootKeys = p256();
  public final KeyPair pckCaKeys = p256();
  public final KeyPair pckKeys = p256();
  public final KeyPair attestationKeys = p256();
  public final X509Certificate root;
  public final X509Certificate pckCa;
  public final X509Certificate pck;

  public TdxTestPlatform() {
    root = cert("CN=Test SGX Root CA", rootKeys.getPublic(), "CN=Test SGX Root CA", rootKeys.getPrivate(), true, false, NOW.plus(365, ChronoUnit.DAYS));
    pckCa = cert("CN=Test SGX PCK Platform CA", pckCaKeys.getPublic(), "CN=Test SGX Root CA", rootKeys.getPrivate(), true, false, NOW.plus(365, ChronoUnit.DAYS));
    pck = pckFor(pckKeys.getPublic());
  }

  /**
   * A PCK certificate for this platform's PCK key whose Intel SGX extensions carry a real TCB: {@code fmspc} (12 hex
   * digits), {@code pceId} (4), the 16 SGX TCB component SVNs and the PCE SVN (PCK Certificate and CRL Profile
   * Specification, section 3.5).
   */
  public X509Certificate pckWithTcb(String fmspc, String pceId, int[] components, int pceSvn) {
    try {
      String sgx = TdxVerifier.OID_SGX_EXTENSIONS;
      var tcb = new org.bouncycastle.asn1.ASN1EncodableVector();
      for (int i = 0; i < 16; i++) {
        tcb.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(sgx + ".2." + (i + 1)),
            new org.bouncycastle.asn1.ASN1Integer(components[i])}));
      }
      tcb.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(sgx + ".2.17"), new org.bouncycastle.asn1.ASN1Integer(pceSvn)}));
      tcb.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(sgx + ".2.18"), new org.bouncycastle.asn1.DEROctetString(new byte[16])}));
      var ext = new org.bouncycastle.asn1.ASN1EncodableVector();
      ext.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(sgx + ".1"), new org.bouncycastle.asn1.DEROctetString(new byte[16])}));
      ext.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(sgx + ".2"), new DERSequence(tcb)}));
      ext.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(sgx + ".3"),
          new org.bouncycastle.asn1.DEROctetString(HexFormat.of().parseHex(pceId))}));
      ext.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(sgx + ".4"),
          new org.bouncycastle.asn1.DEROctetString(HexFormat.of().parseHex(fmspc))}));
      var b = new JcaX509v3CertificateBuilder(new X500Name("CN=Test SGX PCK Platform CA"), BigInteger.valueOf(System.nanoTime()),
          Date.from(NOW.minus(365, ChronoUnit.DAYS)), Date.from(NOW.plus(365, ChronoUnit.DAYS)), new X500Name("CN=Test SGX PCK Certificate"), pckKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(new ASN1ObjectIdentifier(sgx), false, new DERSequence(ext));
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(SnpTestPlatform.BC).build(pckCaKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate pckFor(PublicKey key) {
    return cert("CN=Test SGX PCK Certificate", key, "CN=Test SGX PCK Platform CA", pckCaKeys.getPrivate(), false, true, NOW.plus(365, ChronoUnit.DAYS));
  }

  /** A policy pinning this platform's root, allowing {@code allowedMrtd}, Intel's TD QE identity and minimum SVNs of 1. */
  public TdxPolicy policy(byte[] allowedMrtd, Map<Integer, String> rtmrs) {
    return new TdxPolicy(root, Set.of(HexFormat.of().formatHex(allowedMrtd)), rtmrs, "01000100000000000000000000000000",
        TdxPolicy.INTEL_TD_QE_MRSIGNER, TdxPolicy.INTEL_TD_QE_ISVPRODID, 4);
  }

  public TdxVerifier verifier(byte[] allowedMrtd) {
    return new TdxVerifier(policy(allowedMrtd, Map.of()), SnpTestPlatform.CLOCK);
  }

  /** A quote's fields; everything not listed is a plausible production value. */
  public final class Quote {
    public int version = 4;
    /** For version 5: 2 (TDX 1.0) or 3 (TDX 1.5). */
    public int bodyType = TdxQuote.BODY_TYPE_TDX10;
    public int teeType = TdxQuote.TEE_TYPE_TDX;
    public byte[] qeVendorId = HexFormat.of().parseHex(TdxQuote.INTEL_QE_VENDOR_ID);
    public byte[] teeTcbSvn = HexFormat.of().parseHex("03000400000000000000000000000000");
    public long seamAttributes = 0;
    public long tdAttributes = 1L << 28; // SEPT_VE_DISABLE, as production TDs set it
    public byte[] mrTd = SnpTestPlatform.filled(48, 0x33);
    public byte[][] rtmrs = {SnpTestPlatform.filled(48, 0x40), SnpTestPlatform.filled(48, 0x41), SnpTestPlatform.filled(48, 0x42), SnpTestPlatform.filled(48, 0x43)};
    public byte[] reportData = SnpTestPlatform.filled(64, 0x11);
    public byte[] qeMrSigner = HexFormat.of().parseHex(TdxPolicy.INTEL_TD_QE_MRSIGNER);
    public int qeIsvProdId = TdxPolicy.INTEL_TD_QE_ISVPRODID;
    public int qeIsvSvn = 4;
    public byte[] qeAttributes = HexFormat.of().parseHex("1500000000000000e700000000000000");
    public byte[] qeAuthData = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    public PrivateKey attestationKey = attestationKeys.getPrivate();
    public ECPublicKey attestationPublicKey = (ECPublicKey) attestationKeys.getPublic();
    public PrivateKey pckKey = pckKeys.getPrivate();
    public X509Certificate[] chain = {pck, pckCa, root};

    /** The TD quote body: 584 bytes, or 648 for a TDX 1.5 body. */
    byte[] body() {
      int len = version == 5 && bodyType == TdxQuote.BODY_TYPE_TDX15 ? TdxQuote.BODY_TDX15_BYTES : TdxQuote.BODY_TDX10_BYTES;
      ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
      b.put(TdxQuote.B_TEE_TCB_SVN, teeTcbSvn);
      b.put(TdxQuote.B_MRSEAM, SnpTestPlatform.filled(48, 0x51));
      b.put(TdxQuote.B_MRSIGNERSEAM, new byte[48]);
      b.putLong(TdxQuote.B_SEAM_ATTRIBUTES, seamAttributes);
      b.putLong(TdxQuote.B_TD_ATTRIBUTES, tdAttributes);
      b.putLong(TdxQuote.B_XFAM, 0x61ae7L);
      b.put(TdxQuote.B_MRTD, mrTd);
      for (int i = 0; i < 4; i++) b.put(TdxQuote.B_RTMR0 + 48 * i, rtmrs[i]);
      b.put(TdxQuote.B_REPORT_DATA, reportData);
      return b.array();
    }

    byte[] qeReport() {
      ByteBuffer b = ByteBuffer.allocate(TdxQuote.QE_REPORT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.put(TdxQuote.QE_ATTRIBUTES, qeAttributes);
      b.put(TdxQuote.QE_MRENCLAVE, SnpTestPlatform.filled(32, 0x61));
      b.put(TdxQuote.QE_MRSIGNER, qeMrSigner);
      b.putShort(TdxQuote.QE_ISVPRODID, (short) qeIsvProdId);
      b.putShort(TdxQuote.QE_ISVSVN, (short) qeIsvSvn);
      byte[] point = rawPoint(attestationPublicKey);
      b.put(TdxQuote.QE_REPORT_DATA, sha256(point, qeAuthData));
      return b.array();
    }

    /** The whole quote, with the QE report signed by the PCK key and the quote by the attestation key. */
    public byte[] signed() {
      var out = new ByteArrayOutputStream();
      ByteBuffer header = ByteBuffer.allocate(TdxQuote.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      header.putShort((short) version).putShort((short) TdxQuote.ATT_KEY_TYPE_ECDSA_P256).putInt(teeType);
      header.put(12, qeVendorId);
      out.writeBytes(header.array());
      byte[] body = body();
      if (version == 5) out.writeBytes(ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) bodyType).putInt(body.length).array());
      out.writeBytes(body);
      byte[] signedPart = out.toByteArray();

      byte[] qeReport = qeReport();
      byte[] pem = pemChain(chain).getBytes(StandardCharsets.US_ASCII);
      var qeCert = new ByteArrayOutputStream();
      qeCert.writeBytes(qeReport);
      qeCert.writeBytes(p1363(pckKey, qeReport));
      qeCert.writeBytes(le16(qeAuthData.length));
      qeCert.writeBytes(qeAuthData);
      qeCert.writeBytes(le16(TdxQuote.CERT_TYPE_PCK_CHAIN));
      qeCert.writeBytes(le32(pem.length));
      qeCert.writeBytes(pem);
      byte[] qeCertData = qeCert.toByteArray();

      var sig = new ByteArrayOutputStream();
      sig.writeBytes(p1363(attestationKey, signedPart));
      sig.writeBytes(rawPoint(attestationPublicKey));
      sig.writeBytes(le16(TdxQuote.CERT_TYPE_QE_REPORT));
      sig.writeBytes(le32(qeCertData.length));
      sig.writeBytes(qeCertData);
      byte[] sigData = sig.toByteArray();
      out.writeBytes(le32(sigData.length));
      out.writeBytes(sigData);
      return out.toByteArray();
    }
  }

  public Quote quote() {
    return new Quote();
  }

  /** Offset of the TD quote body in a quote of {@code version}. */
  public static int bodyOffset(int version) {
    return version == 5 ? TdxQuote.HEADER_BYTES + TdxQuote.V5_BODY_DESCRIPTOR_BYTES : TdxQuote.HEADER_BYTES;
  }

  public static String pemChain(X509Certificate... certs) {
    var sb = new StringBuilder();
    for (var c : certs) {
      try {
        sb.append("-----BEGIN CERTIFICATE-----\n")
            .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString();
  }

  static byte[] rawPoint(ECPublicKey k) {
    byte[] out = new byte[64];
    put32(out, 0, k.getW().getAffineX());
    put32(out, 32, k.getW().getAffineY());
    return out;
  }

  private static void put32(byte[] out, int off, BigInteger v) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, off + 32 - n, n);
  }

  static byte[] p1363(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha256(byte[] a, byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(a);
      d.update(b);
      return Arrays.copyOf(d.digest(), 32);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] le16(int v) { return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array(); }
  private static byte[] le32(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

  public static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An EC-signed certificate; PCK certificates get the SGX extensions OID with an empty sequence as its value. */
  public static X509Certificate cert(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca, boolean sgxExtensions, Instant notAfter) {
    try {
      var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(System.nanoTime()),
          Date.from(NOW.minus(365, ChronoUnit.DAYS)), Date.from(notAfter), new X500Name(subject), key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (sgxExtensions) b.addExtension(new ASN1ObjectIdentifier(TdxVerifier.OID_SGX_EXTENSIONS), false, new DERSequence());
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(SnpTestPlatform.BC).build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

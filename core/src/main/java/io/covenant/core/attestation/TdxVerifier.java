package io.covenant.core.attestation;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Verifies an Intel TDX DCAP quote (v4, or v5 with a TDX 1.0 or 1.5 body) against a {@link TdxPolicy}, offline: the
 * quote carries its own PCK certificate chain, and the only trust anchor is the pinned Intel SGX Root CA. The steps
 * follow Intel's "Intel TDX DCAP Quoting Library API" (appendix A, quote format) and the verification order of Intel's
 * Quote Verification Library ("Intel SGX and Intel TDX DCAP Quote Verification Library API"):
 *
 * <ol>
 *   <li>the quote's layout ({@link TdxQuote}): version, attestation key type, TEE type, Intel's QE vendor ID;
 *   <li>the PCK chain: PCK CA signed by the pinned root, PCK certificate signed by the PCK CA, each within its
 *       validity at the verifier's clock, the PCK certificate carrying Intel's SGX extensions (OID
 *       1.2.840.113741.1.13.1) and an EC P-256 key (Intel SGX PCK Certificate and CRL Profile Specification);
 *   <li>the QE report's ECDSA P-256/SHA-256 signature under the PCK key;
 *   <li>the QE report's REPORT_DATA: its first 32 bytes are SHA-256(attestation key || QE authentication data) and the
 *       rest zero, which is what binds the attestation key to the quoting enclave the PCK vouches for;
 *   <li>the QE's identity: MRSIGNER and ISVPRODID of Intel's TD quoting enclave, ISVSVN at least the minimum, not a
 *       debug enclave;
 *   <li>the quote signature: ECDSA P-256/SHA-256 by the attestation key over the header and body;
 *   <li>the TD: SEAM_ATTRIBUTES zero, TD_ATTRIBUTES without DEBUG or reserved TUD bits, TEE_TCB_SVN at least the
 *       minimum, MRTD on the allow-list, the pinned RTMRs, and REPORT_DATA equal to the binding the caller expects.
 * </ol>
 *
 * With {@link TdxCollateral} (Intel's signed TCB info and QE identity, read from files), the quote is then evaluated
 * against it ({@link TdxCollateralCheck}): the platform's TCB level must be one of the accepted statuses, by default
 * only {@code UpToDate}, so an out-of-date TCB is refused unless the verifier is told to accept it by name. Without
 * collateral, the policy's minimum SVNs stand in and must be kept current by whoever writes the policy.
 *
 * The first failure throws a {@link TdxAttestationException} naming the field. Not done here: revocation (the PCK CRL
 * and root CRL).
 */
public final class TdxVerifier {
  /** Intel SGX extensions of a PCK certificate (PCK Certificate and CRL Profile Specification, section 3.5). */
  static final String OID_SGX_EXTENSIONS = "1.2.840.113741.1.13.1";

  private final TdxPolicy policy;
  private final Clock clock;
  private final java.util.Optional<TdxCollateral> collateral;
  private final java.util.Set<TdxTcbStatus> acceptedStatuses;

  /** A verifier without collateral: the policy's minimum SVNs decide what is current. */
  public TdxVerifier(TdxPolicy policy, Clock clock) {
    this(policy, clock, java.util.Optional.empty(), java.util.Set.of(TdxTcbStatus.UP_TO_DATE));
  }

  /**
   * A verifier that also evaluates each quote against Intel's {@code collateral}, accepting only TCB levels and
   * quoting-enclave levels whose status is in {@code acceptedStatuses} (give {@code Set.of(TdxTcbStatus.UP_TO_DATE)}
   * unless a weaker platform is accepted knowingly).
   */
  public TdxVerifier(TdxPolicy policy, Clock clock, java.util.Optional<TdxCollateral> collateral, java.util.Set<TdxTcbStatus> acceptedStatuses) {
    if (policy == null || clock == null || collateral == null) throw new TdxAttestationException("a TDX verifier needs a policy and a clock");
    if (acceptedStatuses == null || acceptedStatuses.isEmpty()) {
      throw new TdxAttestationException("a TDX verifier needs at least one accepted TCB status (UpToDate)");
    }
    this.policy = policy;
    this.clock = clock;
    this.collateral = collateral;
    this.acceptedStatuses = java.util.Set.copyOf(acceptedStatuses);
  }

  /**
   * Verifies {@code rawQuote} and its binding to {@code expectedReportData} (64 bytes: what the key-release request
   * expects the TD to have put into REPORT_DATA). Returns the parsed quote when every check passes.
   */
  public TdxQuote verify(byte[] rawQuote, byte[] expectedReportData) {
    if (expectedReportData == null || expectedReportData.length != TdxQuote.REPORT_DATA_BYTES) {
      throw new TdxAttestationException("the expected TDX report data must be " + TdxQuote.REPORT_DATA_BYTES + " bytes");
    }
    TdxQuote quote = new TdxQuote(rawQuote);
    if (!quote.qeVendorIdHex().equals(TdxQuote.INTEL_QE_VENDOR_ID)) {
      throw new TdxAttestationException("TDX quote: QE vendor ID " + quote.qeVendorIdHex() + " is not Intel's (" + TdxQuote.INTEL_QE_VENDOR_ID
          + "); only quotes from Intel's quoting enclave are accepted");
    }
    List<X509Certificate> chain = IntelRootCa.parseChain(quote.pckChainPem(), "the quote's PCK certificate chain");
    X509Certificate pck = verifyPckChain(chain);
    verifyQeReport(quote, pck.getPublicKey());
    verifyQuoteSignature(quote);
    checkTd(quote, expectedReportData);
    collateral.ifPresent(c -> {
      TdxCollateralCheck.checkRevocation(List.of(pck, chain.get(1), policy.pinnedRoot()), c, clock.instant());
      TdxCollateralCheck.check(quote, pck, c, policy.pinnedRoot(), clock.instant(), acceptedStatuses);
    });
    return quote;
  }

  private X509Certificate verifyPckChain(List<X509Certificate> chain) {
    if (chain.size() < 2 || chain.size() > 3) {
      throw new TdxAttestationException("TDX quote: the PCK certificate chain has " + chain.size()
          + " certificates; it must hold the PCK certificate, the PCK CA and optionally the root CA");
    }
    X509Certificate pck = chain.get(0), pckCa = chain.get(1), root = policy.pinnedRoot();
    if (chain.size() == 3 && !Arrays.equals(encoded(chain.get(2)), encoded(root))) {
      throw new TdxAttestationException("TDX quote: the PCK chain ends in '" + chain.get(2).getSubjectX500Principal().getName()
          + "', which is not the pinned Intel SGX Root CA: the chain leads to another root");
    }
    signedBy(pckCa, root.getPublicKey(), "PCK CA certificate '" + pckCa.getSubjectX500Principal().getName()
        + "' does not verify under the pinned Intel SGX Root CA: the chain leads to another root");
    signedBy(pck, pckCa.getPublicKey(), "PCK certificate does not verify under the PCK CA '" + pckCa.getSubjectX500Principal().getName()
        + "': it was not issued by that Intel CA");
    if (pckCa.getBasicConstraints() < 0) {
      throw new TdxAttestationException("PCK CA certificate '" + pckCa.getSubjectX500Principal().getName() + "' is not a CA certificate");
    }
    Date now = Date.from(clock.instant());
    for (var c : new X509Certificate[] {root, pckCa, pck}) {
      try {
        c.checkValidity(now);
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        throw new TdxAttestationException("certificate '" + c.getSubjectX500Principal().getName() + "' is not valid at " + clock.instant()
            + " (valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")");
      }
    }
    if (pck.getExtensionValue(OID_SGX_EXTENSIONS) == null) {
      throw new TdxAttestationException("PCK certificate: the Intel SGX extensions (" + OID_SGX_EXTENSIONS + ") are missing; this is not a PCK certificate");
    }
    if (!(pck.getPublicKey() instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new TdxAttestationException("PCK certificate: its public key is not an EC P-256 key, as the PCK certificate profile requires");
    }
    return pck;
  }

  private void verifyQeReport(TdxQuote quote, PublicKey pckKey) {
    if (!ecdsaP256(pckKey, quote.qeReport(), quote.qeReportSignature())) {
      throw new TdxAttestationException("TDX quote: QE report signature does not verify under the PCK certificate's key: the QE report "
          + "was altered, or another platform's PCK signed it");
    }
    byte[] expected = new byte[TdxQuote.REPORT_DATA_BYTES];
    System.arraycopy(sha256(quote.attestationKey(), quote.qeAuthData()), 0, expected, 0, 32);
    if (!MessageDigest.isEqual(quote.qeReportData(), expected)) {
      throw new TdxAttestationException("TDX quote: QE report data is not SHA-256(attestation key || QE authentication data) followed by "
          + "zeros: the attestation key or the authentication data was replaced, so the quoting enclave does not vouch for this key");
    }
    String mrSigner = HexFormat.of().formatHex(quote.qeMrSigner());
    if (!mrSigner.equals(policy.qeMrSigner())) {
      throw new TdxAttestationException("TDX quote: QE MRSIGNER " + mrSigner.substring(0, 16) + "… is not the TD quoting enclave's signer "
          + policy.qeMrSigner().substring(0, 16) + "…: another enclave produced the QE report");
    }
    if (quote.qeIsvProdId() != policy.qeIsvProdId()) {
      throw new TdxAttestationException("TDX quote: QE ISVPRODID " + quote.qeIsvProdId() + " is not " + policy.qeIsvProdId() + " (the TD quoting enclave)");
    }
    if ((quote.qeAttributes()[0] & TdxQuote.SGX_ATTRIBUTE_DEBUG) != 0) {
      throw new TdxAttestationException("TDX quote: the quoting enclave's ATTRIBUTES has DEBUG set; a debug quoting enclave's key can be read by its host");
    }
    if (quote.qeIsvSvn() < policy.minimumQeIsvSvn()) {
      throw new TdxAttestationException("TDX quote: QE ISVSVN " + quote.qeIsvSvn() + " is below the minimum " + policy.minimumQeIsvSvn()
          + ": the quoting enclave is out of date; update the platform's DCAP software or lower the minimum deliberately");
    }
  }

  private static void verifyQuoteSignature(TdxQuote quote) {
    PublicKey attestationKey = p256Point(quote.attestationKey());
    if (!ecdsaP256(attestationKey, quote.signedBytes(), quote.quoteSignature())) {
      throw new TdxAttestationException("TDX quote: quote signature does not verify under the attestation key: the header or TD quote "
          + "body was altered after the quoting enclave signed it");
    }
  }

  private void checkTd(TdxQuote quote, byte[] expectedReportData) {
    if (quote.seamAttributes() != 0) {
      throw new TdxAttestationException("TDX quote: SEAM_ATTRIBUTES 0x" + Long.toHexString(quote.seamAttributes())
          + " is not zero: the TDX module runs in a debug or otherwise non-production mode");
    }
    long td = quote.tdAttributes();
    if ((td & TdxQuote.TD_ATTRIBUTE_DEBUG) != 0) {
      throw new TdxAttestationException("TDX quote: TD_ATTRIBUTES 0x" + Long.toHexString(td)
          + " has DEBUG set; debug TDs are refused because the host can read and change their memory");
    }
    if ((td & TdxQuote.TD_ATTRIBUTES_TUD_RESERVED) != 0) {
      throw new TdxAttestationException("TDX quote: TD_ATTRIBUTES 0x" + Long.toHexString(td) + " sets reserved TUD bits 1-7");
    }
    byte[] svn = quote.teeTcbSvn(), min = policy.minimumTeeTcbSvnBytes();
    for (int i = 0; i < svn.length; i++) {
      if ((svn[i] & 0xFF) < (min[i] & 0xFF)) {
        throw new TdxAttestationException("TDX quote: TEE_TCB_SVN[" + i + "] " + (svn[i] & 0xFF) + " is below the minimum " + (min[i] & 0xFF)
            + ": the TDX module is out of date; update it or lower the minimum deliberately");
      }
    }
    String mrtd = quote.mrTdHex();
    if (!policy.allowedMrtds().contains(mrtd)) {
      throw new TdxAttestationException("TDX quote: MRTD " + mrtd.substring(0, 16) + "… is not on the allow-list: the TD runs an image nobody approved");
    }
    for (Map.Entry<Integer, String> e : policy.expectedRtmrs().entrySet()) {
      String actual = HexFormat.of().formatHex(quote.rtmr(e.getKey()));
      if (!actual.equals(e.getValue())) {
        throw new TdxAttestationException("TDX quote: RTMR" + e.getKey() + " " + actual.substring(0, 16) + "… differs from the pinned "
            + e.getValue().substring(0, 16) + "…: the TD booted other firmware, kernel or application than the policy pins");
      }
    }
    if (!MessageDigest.isEqual(quote.reportData(), expectedReportData)) {
      throw new TdxAttestationException("TDX quote: REPORT_DATA differs from the expected binding: the quote was made for another job, "
          + "dataset or enclave key, or it is being replayed");
    }
  }

  static void signedBy(X509Certificate cert, PublicKey issuerKey, String failure) {
    try {
      cert.verify(issuerKey);
    } catch (GeneralSecurityException e) {
      throw new TdxAttestationException(failure, e);
    }
  }

  private static boolean ecdsaP256(PublicKey key, byte[] data, byte[] rs) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initVerify(key);
      s.update(data);
      return s.verify(rs);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The attestation key: a raw P-256 point x || y, checked to lie on the curve before it is used. */
  static ECPublicKey p256Point(byte[] xy) {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
      BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32)), y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
      BigInteger prime = ((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP();
      BigInteger lhs = y.multiply(y).mod(prime);
      BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(prime);
      if (x.compareTo(prime) >= 0 || y.compareTo(prime) >= 0 || !lhs.equals(rhs)) {
        throw new TdxAttestationException("TDX quote: the attestation key is not a point on P-256: the quote was altered");
      }
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
    } catch (GeneralSecurityException e) {
      throw new TdxAttestationException("TDX quote: the attestation key cannot be read as a P-256 public key", e);
    }
  }

  private static byte[] sha256(byte[] a, byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(a);
      d.update(b);
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new TdxAttestationException("certificate '" + c.getSubjectX500Principal().getName() + "' cannot be DER-encoded", e);
    }
  }
}

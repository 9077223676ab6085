package io.covenant.core.attestation;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evaluates a quote against Intel's collateral, in the order of Intel's Quote Verification Library ("Intel SGX and
 * Intel TDX DCAP Quote Verification Library API", collateral verification and TCB status evaluation):
 *
 * <ol>
 *   <li>the TCB signing chain leads to the pinned Intel SGX Root CA and is valid now;
 *   <li>the TCB info ("TCB Info V3", id {@code TDX}) and the QE identity ("Enclave Identity V2", id {@code TD_QE}) are
 *       signed by the TCB signing key (ECDSA P-256/SHA-256 over the raw member text), issued in the past and not past
 *       their {@code nextUpdate};
 *   <li>the TCB info is for the quote's platform: its FMSPC and PCE-ID are the PCK certificate's;
 *   <li>the TDX module (QVL's TdxModuleCheck): TEE_TCB_SVN[1] is the module's major version and TEE_TCB_SVN[0] its
 *       SVN. For version 0, the quote's MRSIGNERSEAM is {@code tdxModule.mrsigner} and SEAM_ATTRIBUTES under
 *       {@code attributesMask} equal {@code attributes}. For a later version (TDX 1.5 and on), the identity
 *       {@code TDX_<version, two digits>} of {@code tdxModuleIdentities} must exist and match the same way, and the first
 *       of its {@code tcbLevels} whose {@code isvsvn} is at most the module's SVN must have an accepted status;
 *   <li>the TCB level: the first of {@code tcbLevels} (Intel lists them newest first) whose 16 SGX component SVNs and
 *       PCESVN are at most the PCK certificate's and whose TDX component SVNs are at most the quote's TEE_TCB_SVN (all 16,
 *       or from the third when a module identity applied: its first two bytes are the module's SVN and version, judged
 *       above); its {@code tcbStatus} must be an accepted one (by default only {@code UpToDate});
 *   <li>the quoting enclave: MRSIGNER and ISVPRODID as the QE identity says, MISCSELECT and ATTRIBUTES under their
 *       masks, and the first QE TCB level whose ISVSVN is at most the QE report's must have an accepted status.
 * </ol>
 *
 * <p>Revocation ({@link #checkRevocation}): each certificate revocation list the collateral carries (RFC 5280 §5;
 * Intel's PCK Platform/Processor CA CRL and its SGX Root CA CRL) must be signed by the certificate of the quote's PCK
 * chain that issued it, be current ({@code thisUpdate} ≤ now < {@code nextUpdate}), and not list the certificate below
 * its issuer in that chain. Collateral without CRLs checks no revocation; operators save them beside the TCB info.
 */
final class TdxCollateralCheck {
  private TdxCollateralCheck() {}

  static void check(TdxQuote quote, X509Certificate pck, TdxCollateral c, X509Certificate root, Instant now, Set<TdxTcbStatus> accepted) {
    X509Certificate signer = signingCertificate(c.issuerChain(), root, now);
    Json.JObject tcbInfo = signedBody(c.tcbInfoJson(), "tcbInfo", "TCB info", signer);
    Json.JObject qeIdentity = signedBody(c.qeIdentityJson(), "enclaveIdentity", "QE identity", signer);
    try {
      checkTcbInfo(quote, PckExtensions.of(pck), tcbInfo, now, accepted);
      checkQeIdentity(quote, qeIdentity, now, accepted);
    } catch (MalformedInputException e) {
      throw new TdxAttestationException("TDX collateral is not in Intel's format: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the quote's PCK chain ({@code chain}: PCK, PCK CA, root) against the collateral's revocation lists.
   *
   * @throws TdxAttestationException naming the list or the revoked certificate
   */
  static void checkRevocation(List<X509Certificate> chain, TdxCollateral c, Instant now) {
    for (java.security.cert.X509CRL crl : c.revocationLists()) {
      int issuer = -1;
      for (int i = 1; i < chain.size(); i++) if (chain.get(i).getSubjectX500Principal().equals(crl.getIssuerX500Principal())) issuer = i;
      String name = "the revocation list of '" + crl.getIssuerX500Principal().getName() + "'";
      if (issuer < 0) throw new TdxAttestationException("TDX collateral: " + name + " is not from a CA of the quote's PCK chain; save the CRLs of this platform's CAs");
      try {
        crl.verify(chain.get(issuer).getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new TdxAttestationException("TDX collateral: " + name + " is not signed by that CA's key: it was altered or forged");
      }
      if (now.isBefore(crl.getThisUpdate().toInstant())) throw new TdxAttestationException("TDX collateral: " + name + " is dated after " + now + " (thisUpdate " + crl.getThisUpdate().toInstant() + ")");
      if (crl.getNextUpdate() == null || !now.isBefore(crl.getNextUpdate().toInstant())) {
        throw new TdxAttestationException("TDX collateral: " + name + " expired at its nextUpdate " + (crl.getNextUpdate() == null ? "(none)" : crl.getNextUpdate().toInstant())
            + "; fetch Intel's current CRL and save it again");
      }
      X509Certificate subject = chain.get(issuer - 1);
      var entry = crl.getRevokedCertificate(subject);
      if (entry != null) {
        throw new TdxAttestationException("TDX collateral: certificate '" + subject.getSubjectX500Principal().getName() + "' (serial "
            + subject.getSerialNumber().toString(16) + ") was revoked by its CA on " + entry.getRevocationDate().toInstant() + "; the platform's key is no longer trusted");
      }
    }
  }

  private static X509Certificate signingCertificate(List<X509Certificate> chain, X509Certificate root, Instant now) {
    X509Certificate signer = chain.getFirst();
    if (chain.size() > 2 || (chain.size() == 2 && !Arrays.equals(der(chain.get(1)), der(root)))) {
      throw new TdxAttestationException("TDX collateral: the TCB signing chain does not end in the pinned Intel SGX Root CA");
    }
    TdxVerifier.signedBy(signer, root.getPublicKey(), "TDX collateral: the TCB signing certificate '" + signer.getSubjectX500Principal().getName()
        + "' does not verify under the pinned Intel SGX Root CA: the collateral was signed by someone else");
    for (X509Certificate cert : List.of(root, signer)) {
      try {
        cert.checkValidity(Date.from(now));
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        throw new TdxAttestationException("TDX collateral: certificate '" + cert.getSubjectX500Principal().getName() + "' is not valid at " + now);
      }
    }
    return signer;
  }

  private static Json.JObject signedBody(String document, String member, String what, X509Certificate signer) {
    String raw = TdxCollateral.rawMember(document, member, what);
    byte[] signature;
    try {
      signature = HexFormat.of().parseHex(Json.parseObject(document).string("signature"));
    } catch (RuntimeException e) {
      throw new TdxAttestationException(what + ": the signature is missing or not hex (" + e.getMessage() + ")", e);
    }
    boolean ok;
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initVerify(signer.getPublicKey());
      s.update(raw.getBytes(StandardCharsets.UTF_8));
      ok = signature.length == 64 && s.verify(signature);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new TdxAttestationException(what + ": the signature does not verify under the TCB signing key: the " + member
          + " was altered after Intel signed it, or someone else signed it");
    }
    return Json.parseObject(raw);
  }

  private static void window(Json.JObject body, String what, Instant now) {
    Instant issued = instant(body, "issueDate", what), next = instant(body, "nextUpdate", what);
    if (now.isBefore(issued)) throw new TdxAttestationException(what + ": issueDate " + issued + " is after " + now + "; the verifier's clock or the collateral is wrong");
    if (!now.isBefore(next)) {
      throw new TdxAttestationException(what + ": it expired at its nextUpdate " + next + "; fetch Intel's current collateral and save it again");
    }
  }

  private static void checkTcbInfo(TdxQuote quote, PckExtensions pck, Json.JObject info, Instant now, Set<TdxTcbStatus> accepted) {
    if (!"TDX".equals(info.string("id")) || info.number("version") != 3) {
      throw new TdxAttestationException("TCB info: id '" + info.string("id") + "' version " + info.number("version") + " is not TDX TCB info version 3");
    }
    window(info, "TCB info", now);
    if (!info.string("fmspc").equalsIgnoreCase(pck.fmspc())) {
      throw new TdxAttestationException("TCB info: it is for FMSPC " + info.string("fmspc").toLowerCase(Locale.ROOT) + ", but the quote's platform (PCK certificate) is "
          + pck.fmspc() + "; use the TCB info for this platform");
    }
    if (!info.string("pceId").equalsIgnoreCase(pck.pceId())) {
      throw new TdxAttestationException("TCB info: PCE-ID " + info.string("pceId") + " is not the PCK certificate's " + pck.pceId());
    }
    byte[] teeTcbSvn = quote.teeTcbSvn();
    int moduleSvn = teeTcbSvn[0] & 0xFF, moduleVersion = teeTcbSvn[1] & 0xFF;
    Json.JObject module = moduleVersion == 0 ? info.object("tdxModule") : moduleIdentity(info, moduleVersion);
    String which = moduleVersion == 0 ? "the TDX module" : "TDX module identity " + module.string("id");
    String mrSignerSeam = HexFormat.of().formatHex(quote.mrSignerSeam());
    if (!module.string("mrsigner").equalsIgnoreCase(mrSignerSeam)) {
      throw new TdxAttestationException("TCB info: the quote's MRSIGNERSEAM " + mrSignerSeam.substring(0, 16) + "… is not the signer of " + which
          + " the TCB info names: the TD runs on a TDX module Intel did not sign");
    }
    if (!masked(quote.seamAttributesBytes(), module.string("attributesMask")).equals(module.string("attributes").toLowerCase(Locale.ROOT))) {
      throw new TdxAttestationException("TCB info: the quote's SEAM_ATTRIBUTES under the attributesMask of " + which + " are not its attributes");
    }
    if (moduleVersion > 0) moduleTcb(module, moduleSvn, accepted);
    int firstTdxComponent = moduleVersion > 0 ? 2 : 0;
    for (Json.JObject level : info.objects("tcbLevels")) {
      Json.JObject tcb = level.object("tcb");
      List<Json.JObject> sgx = tcb.objects("sgxtcbcomponents"), tdx = tcb.objects("tdxtcbcomponents");
      if (sgx.size() != 16 || tdx.size() != 16) throw new TdxAttestationException("TCB info: a TCB level does not list 16 SGX and 16 TDX components");
      boolean matches = tcb.number("pcesvn") <= pck.pceSvn();
      for (int i = 0; i < 16 && matches; i++) {
        matches = sgx.get(i).number("svn") <= pck.sgxTcbComponents()[i] && (i < firstTdxComponent || tdx.get(i).number("svn") <= (teeTcbSvn[i] & 0xFF));
      }
      if (!matches) continue;
      TdxTcbStatus status = TdxTcbStatus.parse(level.string("tcbStatus"), "TCB info");
      if (!accepted.contains(status)) {
        List<String> advisories = level.has("advisoryIDs") ? level.strings("advisoryIDs") : List.of();
        throw new TdxAttestationException("TCB info: the platform's TCB level (dated " + level.string("tcbDate", "?") + ") is " + status.wireName()
            + (advisories.isEmpty() ? "" : ", with advisories " + String.join(", ", advisories)) + "; only " + names(accepted)
            + " is accepted. Update the platform's firmware and TDX module, or accept " + status.wireName() + " deliberately");
      }
      return;
    }
    throw new TdxAttestationException("TCB info: no TCB level matches the platform (its TCB is older than every level Intel lists), so its "
        + "status is unknown and it is refused");
  }

  /** The {@code tdxModuleIdentities} entry {@code TDX_<version>} (e.g. {@code TDX_03}), which must exist. */
  private static Json.JObject moduleIdentity(Json.JObject info, int version) {
    String id = String.format(Locale.ROOT, "TDX_%02d", version);
    List<Json.JObject> identities = info.has("tdxModuleIdentities") ? info.objects("tdxModuleIdentities") : List.of();
    for (Json.JObject identity : identities) if (id.equalsIgnoreCase(identity.string("id"))) return identity;
    throw new TdxAttestationException("TCB info: the quote's TDX module is version " + version + " (TEE_TCB_SVN[1]), and the TCB info lists no identity "
        + id + " for it" + (identities.isEmpty() ? "" : " (only " + identities.stream().map(i -> i.string("id")).toList() + ")")
        + ": the module is unknown to this collateral; fetch Intel's current TCB info for the platform");
  }

  /** The module's own TCB level: the first whose isvsvn is at most the module's SVN (TEE_TCB_SVN[0]); its status must be accepted. */
  private static void moduleTcb(Json.JObject identity, int moduleSvn, Set<TdxTcbStatus> accepted) {
    for (Json.JObject level : identity.objects("tcbLevels")) {
      if (level.object("tcb").number("isvsvn") > moduleSvn) continue;
      TdxTcbStatus status = TdxTcbStatus.parse(level.string("tcbStatus"), "TCB info");
      if (!accepted.contains(status)) {
        throw new TdxAttestationException("TCB info: TDX module " + identity.string("id") + " at SVN " + moduleSvn + " (dated " + level.string("tcbDate", "?")
            + ") is " + status.wireName() + "; only " + names(accepted) + " is accepted. Update the TDX module, or accept " + status.wireName() + " deliberately");
      }
      return;
    }
    throw new TdxAttestationException("TCB info: TDX module " + identity.string("id") + " at SVN " + moduleSvn + " is older than every level Intel lists "
        + "for it, so its status is unknown and it is refused");
  }

  private static void checkQeIdentity(TdxQuote quote, Json.JObject id, Instant now, Set<TdxTcbStatus> accepted) {
    if (!"TD_QE".equals(id.string("id")) || id.number("version") != 2) {
      throw new TdxAttestationException("QE identity: id '" + id.string("id") + "' version " + id.number("version") + " is not the TD_QE identity version 2");
    }
    window(id, "QE identity", now);
    String mrSigner = HexFormat.of().formatHex(quote.qeMrSigner());
    if (!id.string("mrsigner").equalsIgnoreCase(mrSigner)) {
      throw new TdxAttestationException("QE identity: the QE report's MRSIGNER " + mrSigner.substring(0, 16) + "… is not the TD quoting enclave's "
          + id.string("mrsigner").toLowerCase(Locale.ROOT).substring(0, 16) + "…");
    }
    if (id.number("isvprodid") != quote.qeIsvProdId()) {
      throw new TdxAttestationException("QE identity: ISVPRODID " + quote.qeIsvProdId() + " is not the TD quoting enclave's " + id.number("isvprodid"));
    }
    if (!masked(quote.qeMiscSelect(), id.string("miscselectMask")).equals(id.string("miscselect").toLowerCase(Locale.ROOT))) {
      throw new TdxAttestationException("QE identity: the QE report's MISCSELECT under its mask is not the identity's");
    }
    if (!masked(quote.qeAttributes(), id.string("attributesMask")).equals(id.string("attributes").toLowerCase(Locale.ROOT))) {
      throw new TdxAttestationException("QE identity: the QE report's ATTRIBUTES under the identity's mask are not its attributes");
    }
    for (Json.JObject level : id.objects("tcbLevels")) {
      if (level.object("tcb").number("isvsvn") > quote.qeIsvSvn()) continue;
      TdxTcbStatus status = TdxTcbStatus.parse(level.string("tcbStatus"), "QE identity");
      if (!accepted.contains(status)) {
        throw new TdxAttestationException("QE identity: the quoting enclave's level (ISVSVN " + quote.qeIsvSvn() + ") is " + status.wireName()
            + "; only " + names(accepted) + " is accepted. Update the platform's DCAP software");
      }
      return;
    }
    throw new TdxAttestationException("QE identity: no level matches the quoting enclave's ISVSVN " + quote.qeIsvSvn() + "; it is older than every level Intel lists");
  }

  /** {@code value} AND {@code maskHex}, as lower-case hex; the two must be the same length. */
  private static String masked(byte[] value, String maskHex) {
    byte[] mask = HexFormat.of().parseHex(maskHex.toLowerCase(Locale.ROOT));
    if (mask.length != value.length) throw new TdxAttestationException("TDX collateral: a mask of " + mask.length + " bytes for a field of " + value.length);
    byte[] out = new byte[value.length];
    for (int i = 0; i < out.length; i++) out[i] = (byte) (value[i] & mask[i]);
    return HexFormat.of().formatHex(out);
  }

  private static Instant instant(Json.JObject o, String name, String what) {
    try {
      return Instant.parse(o.string(name));
    } catch (DateTimeParseException e) {
      throw new TdxAttestationException(what + ": " + name + " '" + o.string(name) + "' is not a UTC timestamp");
    }
  }

  private static String names(Set<TdxTcbStatus> statuses) {
    return String.join(", ", statuses.stream().sorted().map(TdxTcbStatus::wireName).toList());
  }

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new TdxAttestationException("certificate '" + c.getSubjectX500Principal().getName() + "' cannot be DER-encoded", e);
    }
  }
}

package io.covenant.core.attestation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Intel's signed TDX collateral for one platform family, read from files (no network): the TCB info
 * ({@code GET /tdx/certification/v4/tcb?fmspc=...}, "TCB Info V3" JSON: {@code {"tcbInfo": {...}, "signature": hex}}),
 * the TD quoting enclave's identity ({@code GET /tdx/certification/v4/qe/identity}, "Enclave Identity V2" JSON:
 * {@code {"enclaveIdentity": {...}, "signature": hex}}) and the TCB signing certificate chain Intel returns with them
 * (the {@code TCB-Info-Issuer-Chain} header, PEM: the TCB signing certificate, then the Intel SGX Root CA). Formats:
 * Intel's "Intel Trusted Services API Management" and "Intel SGX and Intel TDX DCAP Quote Verification Library API"
 * (collateral verification). The signature of each document is ECDSA P-256/SHA-256 (r || s, hex) over the exact bytes of
 * its {@code tcbInfo} or {@code enclaveIdentity} member as they appear in the file, so the raw text is kept.
 *
 * <p>Nothing here is trusted until {@link TdxVerifier} checks it: the chain against the pinned root, both signatures,
 * the validity window, and that the collateral describes the quote's platform.
 */
public record TdxCollateral(String tcbInfoJson, String qeIdentityJson, List<X509Certificate> issuerChain, List<java.security.cert.X509CRL> revocationLists) {
  /** File names of {@link #read(Path)}: what an operator saves Intel's answers as. */
  public static final String TCB_INFO_FILE = "tcb-info.json", QE_IDENTITY_FILE = "qe-identity.json", ISSUER_CHAIN_FILE = "tcb-signing-chain.pem",
      PCK_CRL_FILE = "pck-crl.pem", ROOT_CA_CRL_FILE = "root-ca-crl.pem";

  public TdxCollateral {
    if (tcbInfoJson == null || qeIdentityJson == null || issuerChain == null || issuerChain.isEmpty()) {
      throw new TdxAttestationException("TDX collateral needs the TCB info, the QE identity and the TCB signing certificate chain");
    }
    issuerChain = List.copyOf(issuerChain);
    revocationLists = revocationLists == null ? List.of() : List.copyOf(revocationLists);
  }

  /** Collateral without revocation lists. */
  public TdxCollateral(String tcbInfoJson, String qeIdentityJson, List<X509Certificate> issuerChain) {
    this(tcbInfoJson, qeIdentityJson, issuerChain, List.of());
  }

  /**
   * Reads {@value #TCB_INFO_FILE}, {@value #QE_IDENTITY_FILE} and {@value #ISSUER_CHAIN_FILE} from {@code folder}, and the
   * revocation lists {@value #PCK_CRL_FILE} (Intel's PCK Platform or Processor CA CRL) and {@value #ROOT_CA_CRL_FILE}
   * (the SGX Root CA's) where they are there (PEM or DER).
   */
  public static TdxCollateral read(Path folder) {
    List<java.security.cert.X509CRL> crls = new java.util.ArrayList<>();
    for (String name : List.of(PCK_CRL_FILE, ROOT_CA_CRL_FILE)) {
      Path f = folder.resolve(name);
      if (Files.exists(f)) crls.add(crl(f));
    }
    return new TdxCollateral(text(folder.resolve(TCB_INFO_FILE)), text(folder.resolve(QE_IDENTITY_FILE)),
        IntelRootCa.parseChain(text(folder.resolve(ISSUER_CHAIN_FILE)), "the TCB signing chain " + folder.resolve(ISSUER_CHAIN_FILE)), crls);
  }

  private static java.security.cert.X509CRL crl(Path f) {
    try (var in = Files.newInputStream(f)) {
      return (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509").generateCRL(in);
    } catch (IOException | java.security.GeneralSecurityException | ClassCastException e) {
      throw new TdxAttestationException("TDX collateral file " + f + " is not an X.509 revocation list (" + e.getMessage() + "); save Intel's CRL there "
          + "as PEM or DER, or remove the file", e);
    }
  }

  private static String text(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TdxAttestationException("cannot read TDX collateral file " + f + " (" + e.getMessage() + "); save Intel's TCB info, QE identity and "
          + "TCB signing chain there as " + TCB_INFO_FILE + ", " + QE_IDENTITY_FILE + " and " + ISSUER_CHAIN_FILE, e);
    }
  }

  /**
   * The raw text of the top-level member {@code name} of a JSON object, exactly as it appears: what Intel signs. A
   * small scanner, not a parser: it follows strings (with escapes) and nesting to find where the value ends.
   */
  static String rawMember(String json, String name, String what) {
    int i = skip(json, 0);
    if (i >= json.length() || json.charAt(i) != '{') throw new TdxAttestationException(what + " is not a JSON object");
    i++;
    while (true) {
      i = skip(json, i);
      if (i >= json.length() || json.charAt(i) != '"') break;
      int keyEnd = stringEnd(json, i, what);
      String key = json.substring(i + 1, keyEnd);
      i = skip(json, keyEnd + 1);
      if (i >= json.length() || json.charAt(i) != ':') break;
      int start = skip(json, i + 1);
      int end = valueEnd(json, start, what);
      if (key.equals(name)) return json.substring(start, end);
      i = skip(json, end);
      if (i < json.length() && json.charAt(i) == ',') {
        i++;
        continue;
      }
      break;
    }
    throw new TdxAttestationException(what + " has no top-level '" + name + "' member");
  }

  private static int skip(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }

  private static int stringEnd(String s, int open, String what) {
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') i++;
      else if (c == '"') return i;
    }
    throw new TdxAttestationException(what + " has an unterminated string");
  }

  private static int valueEnd(String s, int start, String what) {
    if (start >= s.length()) throw new TdxAttestationException(what + " ends in the middle of a value");
    char first = s.charAt(start);
    if (first == '"') return stringEnd(s, start, what) + 1;
    if (first != '{' && first != '[') {
      int i = start;
      while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) i++;
      return i;
    }
    int depth = 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') i = stringEnd(s, i, what);
      else if (c == '{' || c == '[') depth++;
      else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
    }
    throw new TdxAttestationException(what + " ends in the middle of a value");
  }
}

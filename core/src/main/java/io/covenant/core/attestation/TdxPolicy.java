package io.covenant.core.attestation;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a verifier accepts from Intel TDX evidence. Debug TDs, debug quoting enclaves and non-zero SEAM attributes are
 * never accepted; those are not options.
 *
 * @param pinnedRoot the Intel SGX Root CA ({@link IntelRootCa#sgxRootCa()}), obtained out of band; the PCK chain in
 *     each quote must lead to it
 * @param allowedMrtds MRTD values (96 hex digits) of the TD images an owner approved
 * @param expectedRtmrs RTMR index (0-3) to the value it must hold, for the registers the owner pins; an RTMR absent
 *     here is not compared (the firmware and kernel extend RTMR 0-2 at boot; a worker may extend RTMR 3)
 * @param minimumTeeTcbSvn the lowest TEE_TCB_SVN (32 hex digits, 16 one-byte SVNs of the TDX module) accepted,
 *     compared component by component: a TCB is only as current as its oldest part
 * @param qeMrSigner the MRSIGNER (64 hex digits) of the TD quoting enclave, from Intel's QE identity collateral
 * @param qeIsvProdId the ISVPRODID of the TD quoting enclave (2 in Intel's QE identity for TD_QE)
 * @param minimumQeIsvSvn the lowest quoting-enclave ISVSVN accepted
 */
public record TdxPolicy(
    X509Certificate pinnedRoot, Set<String> allowedMrtds, Map<Integer, String> expectedRtmrs, String minimumTeeTcbSvn,
    String qeMrSigner, int qeIsvProdId, int minimumQeIsvSvn) {
  /**
   * MRSIGNER of Intel's TD quoting enclave, from Intel's QE identity collateral for "TD_QE"
   * ({@code GET https://api.trustedservices.intel.com/tdx/certification/v4/qe/identity}, field {@code mrsigner}).
   */
  public static final String INTEL_TD_QE_MRSIGNER = "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5";
  /** ISVPRODID of the TD quoting enclave in the same collateral. */
  public static final int INTEL_TD_QE_ISVPRODID = 2;

  public TdxPolicy {
    if (pinnedRoot == null) throw new TdxAttestationException("a TDX policy needs the pinned Intel SGX Root CA certificate");
    if (allowedMrtds == null || allowedMrtds.isEmpty()) {
      throw new TdxAttestationException("a TDX policy needs at least one allowed MRTD (96 hex digits); an empty allow-list would accept any TD image");
    }
    for (String m : allowedMrtds) hex(m, 48, "allowed MRTD");
    allowedMrtds = Set.copyOf(allowedMrtds.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList());
    var rtmrs = new TreeMap<Integer, String>();
    for (var e : (expectedRtmrs == null ? Map.<Integer, String>of() : expectedRtmrs).entrySet()) {
      if (e.getKey() == null || e.getKey() < 0 || e.getKey() > 3) throw new TdxAttestationException("a TD has RTMR 0 to 3; the policy names RTMR " + e.getKey());
      hex(e.getValue(), 48, "expected RTMR " + e.getKey());
      rtmrs.put(e.getKey(), e.getValue().toLowerCase(Locale.ROOT));
    }
    expectedRtmrs = Map.copyOf(rtmrs);
    hex(minimumTeeTcbSvn, 16, "minimum TEE_TCB_SVN");
    minimumTeeTcbSvn = minimumTeeTcbSvn.toLowerCase(Locale.ROOT);
    hex(qeMrSigner, 32, "quoting-enclave MRSIGNER");
    qeMrSigner = qeMrSigner.toLowerCase(Locale.ROOT);
    if (qeIsvProdId < 0 || qeIsvProdId > 0xFFFF) throw new TdxAttestationException("the quoting-enclave ISVPRODID is a 16-bit value, got " + qeIsvProdId);
    if (minimumQeIsvSvn < 0 || minimumQeIsvSvn > 0xFFFF) throw new TdxAttestationException("the minimum quoting-enclave ISVSVN is a 16-bit value, got " + minimumQeIsvSvn);
  }

  /**
   * A policy trusting Intel's production root and TD quoting enclave: {@code allowedMrtds}, the RTMRs to pin, the
   * minimum TEE_TCB_SVN and the minimum QE ISVSVN (take both from Intel's current TCB info and QE identity for the
   * platform's FMSPC).
   */
  public static TdxPolicy intel(Set<String> allowedMrtds, Map<Integer, String> expectedRtmrs, String minimumTeeTcbSvn, int minimumQeIsvSvn) {
    return new TdxPolicy(IntelRootCa.sgxRootCa(), allowedMrtds, expectedRtmrs, minimumTeeTcbSvn, INTEL_TD_QE_MRSIGNER,
        INTEL_TD_QE_ISVPRODID, minimumQeIsvSvn);
  }

  byte[] minimumTeeTcbSvnBytes() {
    return HexFormat.of().parseHex(minimumTeeTcbSvn);
  }

  private static void hex(String v, int bytes, String what) {
    if (v == null || !v.toLowerCase(Locale.ROOT).matches("[0-9a-f]{" + 2 * bytes + "}")) {
      throw new TdxAttestationException(what + " '" + v + "' is not " + 2 * bytes + " hex digits (" + bytes + " bytes)");
    }
  }
}

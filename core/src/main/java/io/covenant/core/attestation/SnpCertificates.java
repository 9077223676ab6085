package io.covenant.core.attestation;

import java.security.cert.X509Certificate;

/**
 * Where a verifier finds the VCEK and ASK certificates for a report. AMD's Key Distribution Service issues one VCEK
 * per chip and TCB ({@code GET /vcek/v1/{product}/{hwid}?blSPL=..&teeSPL=..&snpSPL=..&ucodeSPL=..}, AMD pub. 57230); a
 * node may fetch them ahead of time and serve them from a local store, or take them from the guest's certificate table.
 * Whatever the source, {@link SnpVerifier} checks them against the pinned ARK, so the source need not be trusted.
 */
@FunctionalInterface
public interface SnpCertificates {
  /** The VCEK for {@code chipId} at {@code reportedTcb} and the ASK that issued it. */
  Chain forChip(byte[] chipId, SnpTcb reportedTcb);

  record Chain(X509Certificate vcek, X509Certificate ask) {
    public Chain {
      if (vcek == null || ask == null) throw new SnpAttestationException("a VCEK chain needs both the VCEK and the ASK certificate");
    }
  }
}

package io.covenant.core.attestation;

import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Set;

/**
 * What a verifier accepts from SEV-SNP evidence: the pinned AMD root key (ARK) for the processor family, the launch
 * measurements on the allow-list, the minimum TCB the platform must report, and whether a guest with a migration agent
 * may be trusted. Debug guests and VMPLs other than 0 are never accepted; those are not options.
 *
 * <p>The ARK is pinned as a certificate the operator obtained out of band: AMD publishes it per product line at
 * {@code https://kdsintf.amd.com/vcek/v1/{Milan,Genoa}/cert_chain} (the second certificate of that PEM bundle). Pinning
 * means comparing its SHA-384 fingerprint with the one AMD documents before writing it into the configuration.
 */
public record SnpPolicy(X509Certificate pinnedArk, Set<String> allowedMeasurements, SnpTcb minimumTcb, boolean allowMigrationAgent) {
  public SnpPolicy {
    if (pinnedArk == null) throw new SnpAttestationException("an SNP policy needs the pinned AMD root key (ARK) certificate of the product line");
    if (allowedMeasurements == null || allowedMeasurements.isEmpty()) {
      throw new SnpAttestationException("an SNP policy needs at least one allowed launch measurement (96 hex digits); "
          + "an empty allow-list would accept any code");
    }
    for (String m : allowedMeasurements) {
      if (m == null || !m.toLowerCase(Locale.ROOT).matches("[0-9a-f]{96}")) {
        throw new SnpAttestationException("allowed SNP measurement '" + m + "' is not 96 hex digits (48 bytes, SHA-384)");
      }
    }
    if (minimumTcb == null) throw new SnpAttestationException("an SNP policy needs a minimum TCB; out-of-date firmware is refused by default");
    allowedMeasurements = Set.copyOf(allowedMeasurements.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList());
  }
}

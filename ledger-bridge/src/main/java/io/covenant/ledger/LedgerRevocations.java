package io.covenant.ledger;

import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.OrgId;
import java.util.HashSet;
import java.util.Set;

/**
 * The certificates and organisations the consortium revoked (ORG_REVOKED on the ledger), read incrementally: each
 * question reads only the entries appended since the last one, so a TLS handshake costs no scan of the whole ledger.
 * A revocation applies from the moment its entry is on the ledger, to new handshakes and to every request after it.
 */
public final class LedgerRevocations {
  private final Ledger ledger;
  private final Set<Digest> certificates = new HashSet<>();
  private final Set<OrgId> organisations = new HashSet<>();
  private long seen;

  public LedgerRevocations(Ledger ledger) {
    this.ledger = ledger;
  }

  /** Whether the certificate with this SHA-256 was revoked. */
  public synchronized boolean certificateRevoked(Digest fingerprint) {
    catchUp();
    return certificates.contains(fingerprint);
  }

  /**
   * Whether the organisation was revoked: the ledger refuses everything it signs after its ORG_REVOKED, so the API
   * refuses it too, whichever of its certificates it presents.
   */
  public synchronized boolean organisationRevoked(OrgId org) {
    catchUp();
    return organisations.contains(org);
  }

  private void catchUp() {
    long size = ledger.size();
    while (seen < size) {
      long end = Math.min(size, seen + 1024);
      for (LedgerEntry e : ledger.entries(seen, end)) {
        if (e.event().event() instanceof AuditEvent.OrgRevoked r) {
          certificates.add(r.certificate());
          organisations.add(r.org());
        }
      }
      seen = end;
    }
  }
}

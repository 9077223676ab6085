package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.covenant.core.crypto.Digest;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import org.junit.jupiter.api.Test;

/** The append path's hand-built encoding must be byte-for-byte the canonical JSON every verifier hashes. */
class LeafEncodingMatchesCanonicalJson {
  @Test
  void forEveryEventTypeAndManyIndexes() {
    Scenario s = new Scenario();
    long[] indexes = {0, 1, 9, 10, 12345, Long.MAX_VALUE};
    for (SignedEvent e : s.lawfulHistory()) {
      assertArrayEquals(e.toJson().canonicalBytes(), EntryEncoding.signedEvent(e.statement().canonicalBytes(), e.signature().hex()), e.event().type().name());
      for (long i : indexes) {
        Digest prev = i == 0 ? LedgerEntry.NO_PREVIOUS : Digest.sha256(Long.toString(i).getBytes());
        byte[] canonical = new LedgerEntry(i, e, prev).leafBytes();
        assertArrayEquals(canonical, EntryEncoding.leafBytes(e.toJson().canonicalBytes(), i, prev.hex()), e.event().type() + " at " + i);
      }
    }
    // Free text with characters JSON must escape.
    SignedEvent odd = s.sign(s.operator, new io.covenant.core.event.AuditEvent.JobFailed(JobId.random(), "run", "quote \" back \\ tab \t ünï ✓ \u0001"));
    assertArrayEquals(odd.toJson().canonicalBytes(), EntryEncoding.signedEvent(odd.statement().canonicalBytes(), odd.signature().hex()));
    assertArrayEquals(new LedgerEntry(3, odd, LedgerEntry.NO_PREVIOUS).leafBytes(),
        EntryEncoding.leafBytes(odd.toJson().canonicalBytes(), 3, LedgerEntry.NO_PREVIOUS.hex()));
  }
}

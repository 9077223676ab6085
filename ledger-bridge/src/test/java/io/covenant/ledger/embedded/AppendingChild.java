package io.covenant.ledger.embedded;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test fixture run in its own JVM by {@link KilledWriterLosesNothingAcknowledged}: appends from four threads
 * forever and prints {@code ACK <index> <policyId>} only after each append has returned, i.e. is durable.
 */
public final class AppendingChild {
  static final OrgId OWNER = OrgId.of("hospital-a");

  static SigningKey logKey() {
    return SigningKey.fromSeed(seed(7));
  }

  static OrgCredentials owner() {
    return new OrgCredentials(OWNER, SigningKey.fromSeed(seed(9)), HpkeKeyPair.fromPrivate(seed(11)));
  }

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  public static void main(String[] args) throws Exception {
    EmbeddedLedger ledger = EmbeddedLedger.open(Path.of(args[0]), logKey(), 16 * 1024);
    OrgCredentials owner = owner();
    if (ledger.organisation(OWNER).isEmpty()) {
      ledger.append(SignedEvent.sign(owner.registration("Hospital A", "data-owner"), OWNER, owner.signingKey(), Instant.now()));
    }
    DatasetId claims = DatasetId.parse("hospital-a/claims");
    AtomicLong counter = new AtomicLong();
    for (int t = 0; t < 4; t++) {
      Thread.ofPlatform().start(() -> {
        while (true) {
          String id = "p-" + counter.incrementAndGet();
          AuditEvent e = new AuditEvent.PolicyPublished(claims, id, Digest.sha256(id.getBytes()));
          long index = ledger.append(SignedEvent.sign(e, OWNER, owner.signingKey(), Instant.now())).index();
          synchronized (System.out) {
            System.out.println("ACK " + index + " " + id);
            System.out.flush();
          }
        }
      });
    }
  }
}

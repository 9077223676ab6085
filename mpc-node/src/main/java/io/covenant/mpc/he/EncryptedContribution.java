package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.OrgId;
import java.util.List;

/**
 * One owner's aggregate vector, encrypted under the consumer's public key, in as many ciphertexts as its length needs.
 * {@link #digest()} is what the owner records on the ledger: the aggregator refuses a contribution that does not match.
 */
public record EncryptedContribution(OrgId owner, int length, List<SealBytes> chunks) {
  public EncryptedContribution {
    chunks = List.copyOf(chunks);
  }

  public Digest digest() {
    return HeWire.digest(HeWire.write(out -> {
      out.writeUTF("covenant-he-contribution-v1");
      out.writeUTF(owner.value());
      out.writeInt(length);
    }), chunks);
  }
}

package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.OrgId;
import java.util.List;

/**
 * The sum of the contributions, still encrypted under the consumer's key, with the ledger digest of every input it was
 * summed from. Addition in SEAL is deterministic, so anyone holding the recorded inputs (and no key) can recompute the
 * total and compare {@link #digest()}.
 */
public record EncryptedTotal(int length, List<OrgId> contributors, List<Digest> inputDigests, List<SealBytes> chunks) {
  public EncryptedTotal {
    contributors = List.copyOf(contributors);
    inputDigests = List.copyOf(inputDigests);
    chunks = List.copyOf(chunks);
  }

  public Digest digest() {
    return HeWire.digest(HeWire.write(out -> {
      out.writeUTF("covenant-he-total-v1");
      out.writeInt(length);
      out.writeInt(contributors.size());
      for (int i = 0; i < contributors.size(); i++) {
        out.writeUTF(contributors.get(i).value());
        out.write(inputDigests.get(i).bytes());
      }
    }), chunks);
  }
}

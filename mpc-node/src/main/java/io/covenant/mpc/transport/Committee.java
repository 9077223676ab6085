package io.covenant.mpc.transport;

import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

/**
 * The three organisations that run a computation, in ring order: {@code members.get(i)} runs {@link Party} i. Every
 * party must be configured with the same committee; the TCP handshake checks this through {@link #fingerprint()}.
 */
public record Committee(List<OrgId> members) {
  public Committee {
    if (members == null || members.size() != 3) {
      throw new MalformedInputException("a committee has exactly three organisations, one per party; got "
          + (members == null ? "none" : members.size()));
    }
    members = List.copyOf(members);
    if (new HashSet<>(members).size() != 3) {
      throw new MalformedInputException("committee " + members + " names an organisation twice: the three parties must be different organisations, "
          + "or one organisation would hold two shares and see the data");
    }
  }

  public static Committee of(OrgId p0, OrgId p1, OrgId p2) {
    return new Committee(List.of(p0, p1, p2));
  }

  public OrgId member(Party party) {
    return members.get(party.index());
  }

  /** "party 2 (hospital-c)": how errors name a party. */
  public String describe(Party party) {
    return party + " (" + member(party) + ")";
  }

  /** The first 8 bytes of SHA-256 over the members in order: equal fingerprints mean the same committee. */
  public long fingerprint() {
    String joined = String.join("\n", members.stream().map(OrgId::value).toList());
    return ByteBuffer.wrap(FixedAlgorithms.publicFingerprint().digest(joined.getBytes(StandardCharsets.UTF_8))).getLong();
  }
}

package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.he.HeHandle.Ciphertext;
import io.covenant.mpc.transport.PeerLink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The aggregator's program (the coordinator, or any party without a key): it adds the owners' ciphertexts and hands
 * the consumer the total. It has no secret key, no key pair and no way to get one: it is given the consumer's
 * parameters and nothing else, so everything it holds is ciphertext. Each input is checked against the SHA-256 its
 * owner recorded on the ledger before it is added. SEAL's addition is deterministic, so an auditor who reruns
 * {@link #aggregate} on the recorded inputs gets the same total, byte for byte. Cost: (n − 1) additions per chunk.
 */
public final class EncryptedAggregator {
  private final HeEvaluator he;

  public EncryptedAggregator(HeEvaluator he) {
    this.he = he;
  }

  /** Adds the contributions (in the given order) after checking each against its recorded digest. */
  public EncryptedTotal aggregate(AggregationKeys keys, List<EncryptedContribution> contributions, Map<OrgId, Digest> recorded) {
    if (contributions.isEmpty()) throw new MalformedInputException("an aggregation needs at least one contribution");
    if (contributions.size() > keys.maxContributors()) {
      throw new MalformedInputException(contributions.size() + " contributions exceed the " + keys.maxContributors() + " this aggregation was keyed for");
    }
    List<OrgId> who = new ArrayList<>();
    List<Digest> digests = new ArrayList<>();
    for (EncryptedContribution c : contributions) {
      Digest d = c.digest();
      Digest r = recorded.get(c.owner());
      if (r == null) throw new IntegrityException(c.owner() + " recorded no contribution on the ledger for this aggregation; its input is not added");
      if (!r.equals(d)) {
        throw new IntegrityException(c.owner() + "'s contribution hashes to " + d.shortForm() + " but " + c.owner() + " recorded " + r.shortForm()
            + " on the ledger: it was modified on the way; nothing is summed");
      }
      if (c.length() != keys.length()) throw new MalformedInputException(c.owner() + " contributed " + c.length() + " values; this aggregation has " + keys.length());
      who.add(c.owner());
      digests.add(d);
    }
    if (new HashSet<>(who).size() != who.size()) throw new IntegrityException("an owner contributed twice: " + who);
    HeContext ctx = he.context(keys.parameters(), keys.scaleBits());
    try {
      int chunks = contributions.get(0).chunks().size();
      List<SealBytes> out = new ArrayList<>();
      for (int k = 0; k < chunks; k++) {
        List<HeHandle> temp = new ArrayList<>();
        try {
          Ciphertext acc = he.loadCiphertext(ctx, contributions.get(0).chunks().get(k));
          temp.add(acc);
          for (int i = 1; i < contributions.size(); i++) {
            Ciphertext next = he.loadCiphertext(ctx, contributions.get(i).chunks().get(k));
            temp.add(next);
            acc = he.add(acc, next);
            temp.add(acc);
          }
          out.add(he.save(acc));
        } finally {
          he.release(temp.toArray(HeHandle[]::new));
        }
      }
      return new EncryptedTotal(keys.length(), who, digests, out);
    } finally {
      he.release(ctx);
    }
  }

  /**
   * The aggregator's side: receives the consumer's keys, one contribution from each owner's link, sums them and sends
   * the total to the consumer. {@code ledger} returns the owners' recorded input digests.
   */
  public EncryptedTotal run(PeerLink fromConsumer, List<PeerLink> fromOwners, java.util.function.Supplier<Map<OrgId, Digest>> ledger) {
    AggregationKeys keys = HeWire.receiveKeys(fromConsumer);
    List<EncryptedContribution> in = new ArrayList<>();
    for (PeerLink owner : fromOwners) in.add(HeWire.receiveContribution(owner));
    EncryptedTotal total = aggregate(keys, in, ledger.get());
    HeWire.sendTotal(fromConsumer, total);
    return total;
  }
}

package io.covenant.ledger.settlement;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A settlement's full sheet, kept off the ledger by whoever pays out (the maker): every contributing owner's line, in
 * pseudonym order, and the RFC 9162 Merkle tree over them whose root goes on the ledger in USAGE_SETTLED. Each owner
 * receives its own line and an inclusion proof ({@link #proof}); it checks them against the root on the ledger without
 * seeing any other line.
 */
public final class SettlementSheet {
  private final Digest licence;
  private final long amount;
  private final long makerAmount;
  private final long vehicleMonths;
  private final List<OwnerShare> shares;
  private final Map<String, Integer> index = new HashMap<>();
  private final MerkleTree tree;

  public SettlementSheet(Digest licence, long amount, long makerAmount, long vehicleMonths, List<OwnerShare> shares) {
    this.licence = licence;
    this.amount = amount;
    this.makerAmount = makerAmount;
    this.vehicleMonths = vehicleMonths;
    this.shares = List.copyOf(shares);
    List<Digest> leaves = new ArrayList<>(shares.size());
    for (int i = 0; i < this.shares.size(); i++) {
      OwnerShare s = this.shares.get(i);
      if (index.put(s.owner(), i) != null) throw new MalformedInputException("owner " + s.owner().substring(0, 12) + "… appears twice in one settlement");
      if (i > 0 && this.shares.get(i - 1).owner().compareTo(s.owner()) > 0) throw new MalformedInputException("a settlement's lines are in pseudonym order");
      leaves.add(s.leafHash());
    }
    this.tree = MerkleTree.of(leaves);
  }

  public List<OwnerShare> shares() {
    return shares;
  }

  public long amount() {
    return amount;
  }

  public long makerAmount() {
    return makerAmount;
  }

  public long ownersAmount() {
    return shares.stream().mapToLong(OwnerShare::amount).sum();
  }

  public long records() {
    return shares.stream().mapToLong(OwnerShare::records).sum();
  }

  public Digest root() {
    return tree.root();
  }

  /** What USAGE_SETTLED records of this sheet. */
  public AuditEvent.Settlement settlement() {
    return new AuditEvent.Settlement(licence, amount, makerAmount, ownersAmount(), shares.size(), records(), vehicleMonths, root());
  }

  /** The line of {@code owner}, if it contributed. */
  public Optional<OwnerShare> share(String owner) {
    Integer i = index.get(owner);
    return i == null ? Optional.empty() : Optional.of(shares.get(i));
  }

  /** The RFC 9162 inclusion proof of {@code owner}'s line in this sheet's tree. */
  public Optional<InclusionProof> proof(String owner) {
    Integer i = index.get(owner);
    return i == null ? Optional.empty() : Optional.of(new InclusionProof(i, shares.size(), tree.inclusionPath(i, shares.size())));
  }

  /**
   * Why this sheet is not the one {@code recorded} (a USAGE_SETTLED's settlement) commits to, or empty if it is: the
   * same licence, amounts and counts, owners' amounts that sum exactly to the owners' part, and the same Merkle root.
   */
  public Optional<String> problemAgainst(AuditEvent.Settlement recorded) {
    if (!recorded.licence().equals(licence)) return Optional.of("the sheet is for licence " + licence.shortForm() + "…, the ledger settles under " + recorded.licence().shortForm() + "…");
    if (recorded.amount() != amount || recorded.makerAmount() != makerAmount) {
      return Optional.of("the sheet says amount " + amount + " (maker " + makerAmount + "), the ledger " + recorded.amount() + " (maker " + recorded.makerAmount() + ")");
    }
    if (ownersAmount() != recorded.ownersAmount()) {
      return Optional.of("the owners' amounts on the sheet sum to " + ownersAmount() + ", not the " + recorded.ownersAmount() + " the ledger settled");
    }
    if (shares.size() != recorded.owners() || records() != recorded.records()) {
      return Optional.of("the sheet has " + shares.size() + " owners and " + records() + " records, the ledger " + recorded.owners() + " and " + recorded.records());
    }
    if (!root().equals(recorded.ownersRoot())) {
      return Optional.of("the sheet's Merkle root " + root().shortForm() + "… is not the owners' root " + recorded.ownersRoot().shortForm()
          + "… on the ledger: a line was changed after settling");
    }
    return Optional.empty();
  }

  public Json.JObject toJson() {
    return Json.obj("licence", licence.hex(), "amount", amount, "makerAmount", makerAmount, "vehicleMonths", vehicleMonths,
        "shares", shares.stream().map(OwnerShare::toJson).toList());
  }

  public static SettlementSheet fromJson(Json.JObject o) {
    return new SettlementSheet(Digest.parse(o.string("licence")), o.number("amount"), o.number("makerAmount"), o.number("vehicleMonths"),
        o.objects("shares").stream().map(OwnerShare::fromJson).toList());
  }
}

package io.covenant.policy.consent;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The consents of one dataset's vehicles, as the maker keeps them: every grant and withdrawal, each checked against
 * its owner's signature when it is added. It answers one question, at a given instant: which vehicles' owners allow
 * this consumer this purpose now, under a licence that pays owners at least their floor. A withdrawal counts from its
 * own time on and only for the grant it names, which must be an earlier grant of the same owner and vehicle.
 */
public final class ConsentBook {
  private final DatasetId dataset;
  private final Map<Digest, SignedConsent> grants = new HashMap<>();
  private final Map<Digest, OwnerConsent.Withdrawal> withdrawals = new HashMap<>();
  private final Map<String, List<Digest>> grantsByVehicle = new HashMap<>();
  private final List<SignedConsent> all = new ArrayList<>();

  public ConsentBook(DatasetId dataset) {
    this.dataset = dataset;
  }

  /** Adds a consent after checking its signature and, for a withdrawal, the grant it withdraws. Returns its digest. */
  public Digest add(SignedConsent signed) {
    signed.verified();
    OwnerConsent c = signed.consent();
    if (!c.dataset().equals(dataset)) throw new MalformedInputException("a consent for " + c.dataset() + " does not belong in the consents of " + dataset);
    Digest digest = signed.digest();
    switch (c) {
      case OwnerConsent.Grant g -> {
        if (grants.putIfAbsent(digest, signed) != null) return digest;
        grantsByVehicle.computeIfAbsent(g.vehicle(), v -> new ArrayList<>()).add(digest);
      }
      case OwnerConsent.Withdrawal w -> {
        SignedConsent grant = grants.get(w.grant());
        if (grant == null) throw new MalformedInputException("the withdrawal names grant " + w.grant().shortForm() + "…, which is not in the consents of " + dataset);
        if (!grant.consent().owner().equals(w.owner()) || !grant.consent().vehicle().equals(w.vehicle())) {
          throw new IntegrityException("the withdrawal of grant " + w.grant().shortForm() + "… is signed by another owner or names another vehicle; only the grant's owner withdraws it");
        }
        withdrawals.putIfAbsent(w.grant(), w);
      }
    }
    all.add(signed);
    return digest;
  }

  /** Every consent added, in order. */
  public List<SignedConsent> consents() {
    return List.copyOf(all);
  }

  public Optional<SignedConsent> consent(Digest digest) {
    return all.stream().filter(s -> s.digest().equals(digest)).findFirst();
  }

  /**
   * The grant under which {@code vehicle}'s data may be used by {@code consumer} for {@code purpose} at {@code at},
   * under a licence paying owners {@code ownersPerVehicleMonth} per vehicle-month; empty if none covers it.
   */
  public Optional<Digest> covering(String vehicle, OrgId consumer, Purpose purpose, Instant at, long ownersPerVehicleMonth) {
    for (Digest d : grantsByVehicle.getOrDefault(vehicle, List.of())) {
      OwnerConsent.Grant g = (OwnerConsent.Grant) grants.get(d).consent();
      if (!g.covers(consumer, purpose, at) || g.priceFloor() > ownersPerVehicleMonth) continue;
      OwnerConsent.Withdrawal w = withdrawals.get(d);
      if (w != null && !at.isBefore(w.at())) continue;
      return Optional.of(d);
    }
    return Optional.empty();
  }

  /** Every vehicle covered at {@code at} (see {@link #covering}), with the grant that covers it, in pseudonym order. */
  public TreeMap<String, Digest> covered(OrgId consumer, Purpose purpose, Instant at, long ownersPerVehicleMonth) {
    TreeMap<String, Digest> out = new TreeMap<>();
    for (String vehicle : grantsByVehicle.keySet()) covering(vehicle, consumer, purpose, at, ownersPerVehicleMonth).ifPresent(d -> out.put(vehicle, d));
    return out;
  }
}

package io.covenant.policy.licence;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;

/**
 * A licence: a policy (by its hash) with a price. The consumer pays {@code pricePerJob} for each job plus
 * {@code pricePerVehicleMonth} for each month of each contributing vehicle's data, in integer minor units of
 * {@code currency}; the maker keeps {@code makerShareBasisPoints} / 10,000 and the owners share the rest pro rata to
 * the records each contributed ({@code io.covenant.ledger.settlement.SettlementRule}). Its terms go on the ledger in
 * LICENCE_PUBLISHED, so every settlement under it can be recomputed by an auditor.
 */
public record Licence(String id, DatasetId dataset, OrgId consumer, Purpose purpose, Digest policyHash, String currency,
    long pricePerJob, long pricePerVehicleMonth, long makerShareBasisPoints) {
  public Licence {
    if (id == null || !id.matches("[a-z0-9][a-z0-9._-]{0,127}")) throw new MalformedInputException("licence id '" + id + "' is not 1-128 of a-z 0-9 . _ -");
    if (dataset == null || consumer == null || purpose == null || policyHash == null) throw new MalformedInputException("licence " + id + " names its dataset, consumer, purpose and policy");
    if (currency == null || !currency.matches("[A-Z]{3}")) throw new MalformedInputException("licence " + id + "'s currency is an ISO 4217 code such as EUR, not '" + currency + "'");
    if (pricePerJob < 0 || pricePerVehicleMonth < 0) throw new MalformedInputException("licence " + id + " has a negative price");
    if (makerShareBasisPoints < 0 || makerShareBasisPoints > 10_000) {
      throw new MalformedInputException("licence " + id + " gives the maker " + makerShareBasisPoints + " basis points; give 0 to 10,000");
    }
  }

  /** What the owners receive per vehicle-month (the vehicle-month price less the maker's share, rounded down): what a grant's price floor is compared with. */
  public long ownersPerVehicleMonth() {
    return pricePerVehicleMonth - pricePerVehicleMonth * makerShareBasisPoints / 10_000;
  }

  public Json.JObject toJson() {
    return Json.obj("covenantLicence", 1, "id", id, "dataset", dataset, "consumer", consumer, "purpose", purpose, "policyHash", policyHash.hex(),
        "currency", currency, "pricePerJob", pricePerJob, "pricePerVehicleMonth", pricePerVehicleMonth, "makerShareBasisPoints", makerShareBasisPoints,
        "split", "pro-rata-records");
  }

  /** The consortium's hash (SHA-256 or SM3) of the canonical JSON: what LICENCE_PUBLISHED records. */
  public Digest hash(io.covenant.core.crypto.CryptoSuite suite) {
    return suite.hash(toJson().canonicalBytes());
  }

  /** The LICENCE_PUBLISHED event that puts these terms on the ledger of a consortium under {@code suite}. */
  public AuditEvent.LicencePublished event(io.covenant.core.crypto.CryptoSuite suite) {
    return new AuditEvent.LicencePublished(dataset, id, hash(suite), policyHash, consumer, currency, pricePerJob, pricePerVehicleMonth, makerShareBasisPoints);
  }
}

package io.covenant.coordinator.vehicles;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.policy.licence.Licence;

/** The commercial terms a maker offers a consumer, before they are bound to the policy of one job's licence. */
public record LicenceTerms(String id, OrgId consumer, Purpose purpose, String currency, long pricePerJob, long pricePerVehicleMonth, long makerShareBasisPoints) {
  Licence licence(DatasetId dataset, Digest policyHash) {
    return new Licence(id, dataset, consumer, purpose, policyHash, currency, pricePerJob, pricePerVehicleMonth, makerShareBasisPoints);
  }
}

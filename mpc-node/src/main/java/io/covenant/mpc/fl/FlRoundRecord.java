package io.covenant.mpc.fl;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.secagg.DroppedHospital;
import java.util.List;

/**
 * What one federated round did, for the ledger: whose updates are in the aggregate, who dropped out (named, with the
 * step) or declined (with its reason), the SHA-256 of the new global model and of the aggregate the aggregator saw,
 * and the starting model's pooled loss and AUC.
 *
 * @param participants hospitals whose updates make up the aggregate
 * @param startingModelLoss mean cross-entropy of the model this round started from, over the participants' own rows
 *     (pooled by the secure sum); NaN under DP, where metrics are not collected
 * @param startingModelAuc the same model's AUC from pooled score histograms (1,000 bins); NaN under DP
 * @param epsilon the (ε, δ)-DP guarantee, at the job's δ, of all rounds so far for a hospital that took part in every
 *     one; infinite without DP
 */
public record FlRoundRecord(int round, List<OrgId> participants, List<DroppedHospital> dropped, List<DeclinedHospital> declined,
    Digest globalModelHash, Digest aggregateHash, double startingModelLoss, double startingModelAuc, double epsilon) {
  public FlRoundRecord {
    participants = List.copyOf(participants);
    dropped = List.copyOf(dropped);
    declined = List.copyOf(declined);
  }
}

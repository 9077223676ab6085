package io.covenant.mpc.fl;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.util.HashSet;
import java.util.List;

/**
 * Who takes part: the aggregating organisation and the hospitals in an order every party agrees on. A hospital's
 * place in the list (from 1) is its evaluation point in Shamir sharing and orders its pairwise masks.
 */
public record FlRoster(OrgId aggregator, List<OrgId> hospitals) {
  public FlRoster {
    hospitals = List.copyOf(hospitals);
    if (hospitals.size() < 2) throw new MalformedInputException("a federated job needs at least two hospitals; got " + hospitals);
    if (new HashSet<>(hospitals).size() != hospitals.size()) throw new MalformedInputException("each hospital appears once in a roster; got " + hospitals);
    if (hospitals.contains(aggregator)) throw new MalformedInputException(aggregator + " cannot both aggregate and contribute: the aggregator must learn only the sum");
  }

  /** The hospital's index, from 1. */
  public int indexOf(OrgId hospital) {
    int i = hospitals.indexOf(hospital);
    if (i < 0) throw new MalformedInputException(hospital + " is not a hospital of this job; its hospitals are " + hospitals);
    return i + 1;
  }

  public OrgId hospital(int index) {
    return hospitals.get(index - 1);
  }

  public int size() {
    return hospitals.size();
  }
}

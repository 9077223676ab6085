package io.covenant.ledger.settlement;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent.LicencePublished;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * How a licence's price becomes a settlement, the one rule both the settling operator and {@code verify} apply:
 *
 * <ol>
 *   <li>amount = pricePerJob + pricePerVehicleMonth × vehicle-months (contributing vehicles × months of data);
 *   <li>the maker keeps ⌊amount × makerShareBasisPoints / 10,000⌋ (all of it when no owner contributed);
 *   <li>the owners share the rest pro rata to the records each contributed, by the largest-remainder method
 *       (Hamilton's method): each gets the floor of its exact quota, and the units left over go one each to the owners
 *       with the largest fractional parts (ties to the smaller pseudonym), so the owners' amounts sum exactly to their
 *       part and no amount is off its exact quota by a whole unit or more.
 * </ol>
 *
 * The first two steps are {@link LicencePublished#amountFor} and {@link LicencePublished#makerAmount}, which {@code verify}
 * applies too. All arithmetic is exact on integers (minor units); an overflow is refused rather than wrapped.
 */
public final class SettlementRule {
  private SettlementRule() {}

  /**
   * Splits what a job owes under {@code licence} among the contributing owners ({@code recordsByOwner}: pseudonym →
   * records used) for {@code months} months of data each.
   */
  public static SettlementSheet settle(LicencePublished licence, long months, SortedMap<String, Long> recordsByOwner) {
    if (months < 1) throw new MalformedInputException("a settlement covers at least one month of data, not " + months);
    long owners = recordsByOwner.size();
    long vehicleMonths = Math.multiplyExact(owners, months);
    long amount = licence.amountFor(vehicleMonths);
    long maker = licence.makerAmount(amount, owners);
    long ownersAmount = amount - maker;
    long totalRecords = recordsByOwner.values().stream().mapToLong(Long::longValue).sum();
    record Quota(String owner, long records, long floor, long remainder) {}
    List<Quota> quotas = new ArrayList<>();
    long given = 0;
    for (Map.Entry<String, Long> e : recordsByOwner.entrySet()) {
      java.math.BigInteger[] qr = java.math.BigInteger.valueOf(ownersAmount).multiply(java.math.BigInteger.valueOf(e.getValue()))
          .divideAndRemainder(java.math.BigInteger.valueOf(totalRecords));
      long floor = qr[0].longValueExact();
      quotas.add(new Quota(e.getKey(), e.getValue(), floor, qr[1].longValueExact()));
      given += floor;
    }
    long left = ownersAmount - given; // fewer than the number of owners
    List<Quota> byRemainder = new ArrayList<>(quotas);
    byRemainder.sort(Comparator.comparingLong(Quota::remainder).reversed().thenComparing(Quota::owner));
    java.util.Set<String> extra = new java.util.HashSet<>();
    for (int i = 0; i < left; i++) extra.add(byRemainder.get(i).owner());
    List<OwnerShare> shares = new ArrayList<>(quotas.size());
    for (Quota q : quotas) shares.add(new OwnerShare(q.owner(), q.records(), q.floor() + (extra.contains(q.owner()) ? 1 : 0)));
    return new SettlementSheet(licence.licenceHash(), amount, maker, vehicleMonths, shares);
  }
}

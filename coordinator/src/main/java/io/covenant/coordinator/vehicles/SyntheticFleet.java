package io.covenant.coordinator.vehicles;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.storage.telemetry.SignedTelemetry;
import io.covenant.storage.telemetry.TelemetryRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A maker's synthetic fleet: vehicles with a VIN, an OBD unit (its own Ed25519 key), an owner (their own key) and a
 * driving style, and the trips they drive, seeded and reproducible. Trips follow a plausible week: commutes around 7-9h
 * and 16-19h on weekdays, errands and leisure at weekends, a share of night driving for night-shift drivers; distances
 * are log-normal (median about 9 km), speeds depend on the distance (town or motorway), and harsh braking and speeding
 * follow each driver's style. No real vehicle or person is behind any record.
 */
public final class SyntheticFleet {
  /** Characters a VIN may hold (ISO 3779: no I, O, Q). */
  private static final String VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

  /** How a driver drives: trips per weekday, harsh-braking rate per 100 km, share of time speeding, night-shift driver. */
  public enum Style {
    CALM(2.0, 0.4, 0.01, false), AVERAGE(2.4, 1.5, 0.04, false), SPIRITED(2.6, 4.5, 0.12, false), NIGHT_SHIFT(2.2, 1.8, 0.05, true);

    final double tripsPerDay;
    final double harshPer100Km;
    final double speedingShare;
    final boolean night;

    Style(double tripsPerDay, double harshPer100Km, double speedingShare, boolean night) {
      this.tripsPerDay = tripsPerDay;
      this.harshPer100Km = harshPer100Km;
      this.speedingShare = speedingShare;
      this.night = night;
    }
  }

  /** One vehicle: its VIN, its OBD unit's id and key, its owner's key, and how it is driven. */
  public record Vehicle(int index, String vin, String device, SigningKey deviceKey, SigningKey ownerKey, Style style, long odometerStartM) {}

  private final long seed;
  private final String devicePrefix;
  private final List<Vehicle> vehicles;
  private final Instant from;
  private final int days;

  /**
   * {@code count} vehicles driving for {@code days} days from {@code from} (a UTC midnight), fixed by {@code seed}. Their
   * units are named {@code obd-<seed in base 36>-<index>}, so fleets of different seeds never share a unit.
   */
  public SyntheticFleet(long seed, int count, Instant from, int days) {
    if (count < 1 || days < 1) throw new MalformedInputException("a fleet has at least one vehicle and drives at least one day");
    this.seed = seed;
    this.devicePrefix = "obd-" + Long.toString(seed & Long.MAX_VALUE, 36) + "-";
    this.from = from;
    this.days = days;
    this.vehicles = IntStream.range(0, count).parallel().mapToObj(this::vehicle).toList();
  }

  private Vehicle vehicle(int i) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
    StringBuilder vin = new StringBuilder("CVM");
    long n = i;
    for (int k = 0; k < 14; k++) {
      vin.append(VIN_CHARS.charAt((int) (k < 6 ? r.nextInt(VIN_CHARS.length()) : n % VIN_CHARS.length())));
      if (k >= 6) n /= VIN_CHARS.length();
    }
    double u = r.nextDouble();
    Style style = u < 0.35 ? Style.CALM : u < 0.80 ? Style.AVERAGE : u < 0.93 ? Style.SPIRITED : Style.NIGHT_SHIFT;
    return new Vehicle(i, vin.toString(), devicePrefix + String.format("%06d", i), key(r), key(r), style, 5_000_000L + r.nextLong(150_000_000L));
  }

  private static SigningKey key(SplittableRandom r) {
    byte[] seed = new byte[32];
    for (int k = 0; k < 32; k += 8) {
      long v = r.nextLong();
      for (int b = 0; b < 8; b++) seed[k + b] = (byte) (v >>> (8 * b));
    }
    return SigningKey.fromSeed(seed);
  }

  public List<Vehicle> vehicles() {
    return vehicles;
  }

  public int days() {
    return days;
  }

  /** Every vehicle's trips, signed by its OBD unit, vehicle by vehicle; generated and signed in parallel blocks as read. */
  public Iterator<SignedTelemetry> signedRecords() {
    return new Iterator<>() {
      private static final int BLOCK = 256;
      private int next;
      private Iterator<SignedTelemetry> current = List.<SignedTelemetry>of().iterator();

      public boolean hasNext() {
        while (!current.hasNext() && next < vehicles.size()) {
          int end = Math.min(next + BLOCK, vehicles.size());
          List<List<SignedTelemetry>> block = IntStream.range(next, end).parallel().mapToObj(i -> signedTrips(vehicles.get(i))).toList();
          List<SignedTelemetry> flat = new ArrayList<>();
          block.forEach(flat::addAll);
          current = flat.iterator();
          next = end;
        }
        return current.hasNext();
      }

      public SignedTelemetry next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
      }
    };
  }

  /** One vehicle's trips over the fleet's days, signed by its unit. */
  public List<SignedTelemetry> signedTrips(Vehicle v) {
    return trips(v).stream().map(t -> SignedTelemetry.sign(t, v.deviceKey())).toList();
  }

  /** One vehicle's trips over the fleet's days, unsigned. */
  public List<TelemetryRecord> trips(Vehicle v) {
    SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (v.index() + 1)));
    List<TelemetryRecord> out = new ArrayList<>();
    long odometer = v.odometerStartM();
    long battery = 800;
    long lastEnd = 0;
    long seq = 0;
    long trip = 0;
    String home = cell(r), work = cell(r);
    for (int d = 0; d < days; d++) {
      long midnight = from.getEpochSecond() + d * 86_400L;
      int dow = (int) Math.floorMod(Math.floorDiv(midnight, 86_400L) + 3, 7); // 0 = Monday (1970-01-01 was a Thursday)
      boolean weekend = dow >= 5;
      int trips = poisson(r, weekend ? v.style().tripsPerDay * 0.8 : v.style().tripsPerDay);
      battery = Math.min(1000, battery + 400); // charged overnight
      for (int k = 0; k < trips; k++) {
        int hour;
        if (v.style().night && r.nextDouble() < 0.6) hour = r.nextDouble() < 0.5 ? 22 + r.nextInt(2) : r.nextInt(5);
        else if (!weekend && k == 0) hour = 7 + r.nextInt(2);
        else if (!weekend && k == 1) hour = 16 + r.nextInt(3);
        else hour = 9 + r.nextInt(13);
        long start = Math.max(midnight + hour * 3600L + r.nextInt(3600), lastEnd + 60);
        double km = Math.min(400, Math.exp(2.2 + 0.8 * r.nextGaussian()));
        double meanKmh = km < 8 ? 22 + r.nextDouble() * 15 : km < 30 ? 35 + r.nextDouble() * 25 : 60 + r.nextDouble() * 40;
        long duration = Math.max(120, Math.round(km / meanKmh * 3600));
        long end = start + duration;
        double maxKmh = meanKmh * (1.3 + 0.5 * r.nextDouble()) + (v.style() == Style.SPIRITED ? 15 : 0);
        int harsh = poisson(r, v.style().harshPer100Km * km / 100);
        long maxDecel = Math.round((harsh > 0 ? 350 + r.nextInt(300) : 120 + r.nextInt(200)));
        long maxAccel = Math.round(150 + r.nextInt(v.style() == Style.SPIRITED ? 350 : 200));
        long speeding = Math.round(duration * v.style().speedingShare * 2 * r.nextDouble());
        long meters = Math.round(km * 1000);
        odometer += meters;
        battery = Math.max(50, battery - Math.round(km * 1.8));
        out.add(new TelemetryRecord(v.device(), ++seq, ++trip, start, end, meters, Math.round(maxKmh * 10), Math.round(meanKmh * 10), maxAccel, maxDecel,
            harsh, speeding, odometer, battery, r.nextDouble() < 0.5 ? home : r.nextDouble() < 0.7 ? work : cell(r)));
        lastEnd = end;
      }
    }
    return out;
  }

  private static String cell(SplittableRandom r) {
    return "c" + Integer.toString(r.nextInt(1 << 20), 36);
  }

  private static int poisson(SplittableRandom r, double mean) {
    double l = Math.exp(-mean), p = 1;
    int k = 0;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > l);
    return k - 1;
  }
}

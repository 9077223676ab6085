package io.covenant.coordinator.vehicles;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import io.covenant.policy.consent.OwnerConsent;
import io.covenant.policy.consent.SignedConsent;
import io.covenant.storage.telemetry.SignedTelemetry;
import io.covenant.storage.telemetry.TelemetryRecord;
import io.covenant.storage.telemetry.TelemetryRefusedException;
import io.covenant.tee.compute.ResultTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The vehicle OBD licensing scenario, end to end on one deployment: a maker certifies its vehicles' OBD units and
 * ingests their signed telemetry (refusing a forged and a replayed record), the owners sign consents (digests on the
 * ledger), two insurers each run a usage-based-insurance scoring job in the TEE worker (or, on the HE route, with their
 * private pricing models encrypted under their own CKKS keys, evaluated on the maker's side) under a licence with its own
 * price, some owners withdraw and a later job leaves them out, every job is settled between the maker and the owners
 * (Merkle root on the ledger), one owner's statement is proved against the ledger, and the ledger is verified.
 */
public final class VehiclesDemo {
  public static final OrgId MAKER = OrgId.of("velo-motors");
  public static final OrgId INSURER_A = OrgId.of("aurora-insurance");
  public static final OrgId INSURER_B = OrgId.of("beacon-mutual");
  public static final Purpose PURPOSE = new Purpose("ubi-pricing");
  public static final String CURRENCY = "EUR";

  /** Insurer A: 200 EUR per job + 0.50 EUR per vehicle-month, the maker keeps 30 %. */
  public static final LicenceTerms LICENCE_A = new LicenceTerms("aurora-ubi", INSURER_A, PURPOSE, CURRENCY, 20_000, 50, 3_000);
  /** Insurer B: 100 EUR per job + 0.30 EUR per vehicle-month, the maker keeps 50 % (owners get 0.15 per vehicle-month). */
  public static final LicenceTerms LICENCE_B = new LicenceTerms("beacon-ubi", INSURER_B, PURPOSE, CURRENCY, 10_000, 30, 5_000);

  private final PrintStream out;
  private int step;
  private final int steps = 11;
  private long stepStarted;

  public VehiclesDemo(PrintStream out) {
    this.out = out;
  }

  /** What the run produced, for tests and for the CLI's exit code. */
  public record Outcome(List<Job> jobs, Set<String> withdrawn, OwnerStatement statement, VerificationReport verified, VerificationReport tampered,
      VerificationReport rewritten, TelemetryRefusedException refused) {}

  /**
   * One licensed job: its licence, the scores, and its settlement. On the HE route also the precision the insurer's
   * probes measured and {@code plaintextDifference}, the largest difference between a decrypted score and the
   * plaintext model on the same vehicle's features (the demo plays every party, so it can compute both; no party does).
   */
  public record Job(String consumer, VehicleMaker.LicensedUse use, JobOutcome outcome, ResultTable scores, VehicleMaker.Settled settled, UbiRoute route,
      Optional<io.covenant.mpc.he.Precision> precision, double plaintextDifference) {}

  public Outcome run(LocalDeployment d, int vehicles, int days, long seed) {
    return run(d, vehicles, days, seed, UbiRoute.TEE);
  }

  /** The scenario with every insurer's job on {@code route}. */
  public Outcome run(LocalDeployment d, int vehicles, int days, long seed, UbiRoute route) {
    long started = System.nanoTime();
    out.println("Covenant demo: vehicle OBD licensing (" + Plural.of(vehicles, "vehicle") + ", " + Plural.of(days, "day") + " of telemetry)");
    out.println("data directory: " + d.dataDir().toAbsolutePath());
    out.println();

    step("Organisations: the maker and two insurers (keys and ORG_REGISTERED)");
    createIfNew(d, MAKER, "Velo Motors", OrgRole.OWNER);
    createIfNew(d, INSURER_A, "Aurora Insurance", OrgRole.CONSUMER);
    createIfNew(d, INSURER_B, "Beacon Mutual", OrgRole.CONSUMER);
    VehicleMaker maker = new VehicleMaker(d, MAKER);
    if (route == UbiRoute.HE) {
      for (OrgId insurer : List.of(INSURER_A, INSURER_B)) storeModel(d, insurer);
    }
    done(route == UbiRoute.HE ? "each insurer keeps its pricing model in its own folder (owner-only file); only its encryption will leave" : "");

    Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant from = midnight.minus(Duration.ofDays(days));
    step("The maker certifies each vehicle's OBD unit (Ed25519 key; certificate signed by the maker, binding unit and VIN)");
    SyntheticFleet fleet = new SyntheticFleet(seed, vehicles, from, days);
    maker.certify(fleet.vehicles(), from.minus(Duration.ofDays(1)));
    done(Plural.of(vehicles, "device certificate") + " issued under " + MAKER + "'s consortium identity");

    step("The fleet drives " + Plural.of(days, "day") + "; each OBD unit signs every trip record with its own key");
    List<SignedTelemetry> signed = new ArrayList<>();
    fleet.signedRecords().forEachRemaining(signed::add);
    done(String.format("%,d trip records signed", signed.size()));

    step("Streaming ingest: every record's device signature verified, then encrypted into the telemetry dataset");
    long t0 = System.nanoTime();
    long[] lastShown = {0};
    VehicleMaker.Ingested ingested = maker.ingest(signed.iterator(), Instant.now(), n -> {
      if (n - lastShown[0] >= 100_000) {
        out.printf("  ... %,d records verified%n", n);
        lastShown[0] = n;
      }
    });
    double ingestS = (System.nanoTime() - t0) / 1e9;
    DatasetVersion version = ingested.dataset().version();
    signed = null; // the records are in the encrypted dataset now
    done(String.format("%,d records of %,d vehicles in %.1f s (%,.0f records/s, verified + encrypted + stored)", ingested.records(), ingested.vehicles(), ingestS,
        ingested.records() / ingestS));
    out.print(indent(TextTable.withHeaders("dataset", "records", "shards", "manifest CID").maxCellWidth(100)
        .row(version, ingested.dataset().rows(), ingested.dataset().shards(), ingested.dataset().manifest()).render()));

    step("A batch with a replayed and a forged record is refused whole; nothing of it is stored");
    TelemetryRefusedException refused = refuseBadBatch(d, maker, fleet, version);
    done("");
    for (TelemetryRefusedException.Refusal r : refused.refusals()) out.println("  - " + r);

    step("Owners sign consents (grant: consumer, purpose, period, price floor); only digests go on the ledger");
    Instant now = Instant.now();
    SplittableRandom r = new SplittableRandom(seed + 17);
    List<SignedConsent> grants = new ArrayList<>();
    Map<String, Digest> grantToA = new java.util.HashMap<>();
    int toA = 0, toB = 0, highFloor = 0;
    for (SyntheticFleet.Vehicle v : fleet.vehicles()) {
      String p = maker.pseudonym(v.vin());
      long floor = r.nextDouble() < 0.08 ? 20 : 10; // some owners ask more than Beacon's licence pays owners (15 cents)
      if (floor > 10) highFloor++;
      if (r.nextDouble() < 0.85) {
        SignedConsent g = grant(maker, v, p, INSURER_A, now, floor, r);
        grants.add(g);
        grantToA.put(v.vin(), g.digest());
        toA++;
      }
      if (r.nextDouble() < 0.60) {
        grants.add(grant(maker, v, p, INSURER_B, now, floor, r));
        toB++;
      }
    }
    maker.recordConsents(grants, now);
    done(Plural.of(grants.size(), "grant") + " (" + toA + " to " + INSURER_A + ", " + toB + " to " + INSURER_B + "; " + highFloor
        + " owners set a price floor of 0.20 EUR per vehicle-month)");

    List<Job> jobs = new ArrayList<>();
    step(route == UbiRoute.HE
        ? "Licensed jobs on the HE route: each insurer encrypts its pricing model under its own CKKS key; the maker's side scores the vehicles it may under encryption"
        : "Licensed jobs: each insurer scores the vehicles it may, in the TEE worker (simulated attestation, labelled)");
    jobs.add(licensedJob(d, maker, LICENCE_A, version, days, route));
    jobs.add(licensedJob(d, maker, LICENCE_B, version, days, route));
    done("");
    for (Job j : jobs) printJob(j);

    step("Some owners withdraw their consent to " + INSURER_A + "; its next job leaves exactly those vehicles out");
    List<SignedConsent> withdrawals = new ArrayList<>();
    Set<String> withdrawn = new java.util.TreeSet<>();
    Instant withdrawAt = Instant.now();
    for (SyntheticFleet.Vehicle v : fleet.vehicles()) {
      Digest g = grantToA.get(v.vin());
      if (g == null || v.index() % 20 != 7) continue; // one owner in twenty of those who granted it
      withdrawals.add(SignedConsent.sign(new OwnerConsent.Withdrawal(maker.dataset(), maker.pseudonym(v.vin()), v.ownerKey().verifyingKey(), g, withdrawAt), v.ownerKey()));
      withdrawn.add(v.vin());
    }
    maker.recordConsents(withdrawals, withdrawAt);
    Job again = licensedJob(d, maker, LICENCE_A, version, days, route);
    jobs.add(again);
    done(Plural.of(withdrawals.size(), "owner") + " withdrew; " + INSURER_A + " now covers " + again.use().covered().size() + " vehicles, "
        + (jobs.get(0).use().covered().size() - again.use().covered().size()) + " fewer than its first job");
    printJob(again);

    step("Settlements: each job's amount split between the maker and the owners (pro rata to records, largest remainder)");
    TextTable settlements = TextTable.withHeaders("job", "consumer", "amount", "maker", "owners", "owners paid", "records", "vehicle-months", "owners' root", "entry");
    for (Job j : jobs) {
      var st = j.settled().sheet().settlement();
      settlements.row(j.outcome().job().value(), j.consumer(), eur(st.amount()), eur(st.makerAmount()), eur(st.ownersAmount()), st.owners(), st.records(),
          st.vehicleMonths(), st.ownersRoot().shortForm() + "…", j.settled().entry().index());
      long sum = j.settled().sheet().shares().stream().mapToLong(s -> s.amount()).sum();
      if (sum + st.makerAmount() != st.amount()) throw new CovenantException("settlement of " + j.outcome().job() + " does not sum exactly");
    }
    done("amounts in EUR; every owner's amount is a leaf of the owners' Merkle tree, whose root is on the ledger");
    out.print(indent(settlements.render()));

    String vin = withdrawn.isEmpty() ? fleet.vehicles().get(0).vin() : withdrawn.iterator().next();
    step("Statement of the owner of vehicle " + vin + " (each line proved against the ledger)");
    OwnerStatement statement = OwnerStatement.of(maker, d.ledger(), vin);
    done(statement.proved() ? "every line proved" : "A LINE DID NOT PROVE");
    out.print(indent(statement.render(CURRENCY)));

    step("Verifying the ledger offline: signatures, hash chain, Merkle roots, job lifecycles, every settlement's arithmetic");
    VerificationReport verified = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(d.ledgerDir()), AuditorTrust.NONE);
    if (!verified.ok()) throw new CovenantException("the ledger does not verify: " + verified.failure().orElseThrow());
    for (VehicleMaker.KeptSettlement k : maker.settlements()) {
      var entry = d.ledger().entriesForJob(k.job()).stream().map(e -> e.event().event())
          .filter(e -> e instanceof io.covenant.core.event.AuditEvent.UsageSettled u && u.settlement().isPresent()).findFirst();
      var problem = entry.flatMap(e -> k.sheet().problemAgainst(((io.covenant.core.event.AuditEvent.UsageSettled) e).settlement().get()));
      if (entry.isEmpty() || problem.isPresent()) throw new CovenantException("the kept settlement of " + k.job() + " does not match the ledger: " + problem.orElse("no entry"));
    }
    VerificationReport tampered = tamperSettlement(d, jobs.get(0));
    VerificationReport rewritten = operatorRewritesSettlement(d, jobs.get(0));
    done(Plural.of(verified.entries(), "entry", "entries") + ", " + Plural.of(verified.jobs(), "job") + ": verified; every kept sheet matches its root");
    out.println("  an exported copy with job " + jobs.get(0).outcome().job() + "'s settlement edited: " + tampered.failure().map(f -> f.reason()).orElse("NOT DETECTED"));
    out.println("  the operator re-signs it with 1.00 EUR moved from the owners to the maker (the sum kept), re-links the log and signs a"
        + " new checkpoint: " + rewritten.failure().map(f -> f.reason()).orElse("NOT DETECTED"));
    // A covered owner who has not withdrawn, to act as from the CLI.
    SyntheticFleet.Vehicle sample = fleet.vehicles().stream().filter(v -> grantToA.containsKey(v.vin()) && !withdrawn.contains(v.vin())).findFirst()
        .orElse(fleet.vehicles().get(0));
    writeOwnerKey(d.dataDir(), sample);
    out.printf("%nDemo complete in %.1f s. Inspect it: ./covenant verify --data-dir %s; ./covenant owner statement --vehicle %s --data-dir %s%n",
        (System.nanoTime() - started) / 1e9, d.dataDir(), vin, d.dataDir());
    out.printf("Act as the owner of %s (its key is in %s): ./covenant owner withdraw --vehicle %s --consumer %s --key %s --data-dir %s,%n"
        + "then ./covenant vehicles job --consumer %s%s --data-dir %s leaves the vehicle out, and its owner statement says why.%n", sample.vin(),
        ownerKeyFile(d.dataDir(), sample.vin()), sample.vin(), INSURER_A, ownerKeyFile(d.dataDir(), sample.vin()), d.dataDir(), INSURER_A,
        route == UbiRoute.HE ? " --engine he" : "", d.dataDir());
    return new Outcome(jobs, withdrawn, statement, verified, tampered, rewritten, refused);
  }

  private static SignedConsent grant(VehicleMaker maker, SyntheticFleet.Vehicle v, String pseudonym, OrgId consumer, Instant now, long floor, SplittableRandom r) {
    byte[] nonce = new byte[16];
    for (int i = 0; i < 16; i++) nonce[i] = (byte) r.nextInt(256);
    return SignedConsent.sign(new OwnerConsent.Grant(maker.dataset(), pseudonym, v.ownerKey().verifyingKey(), consumer, PURPOSE, now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(365)), CURRENCY, floor, HexFormat.of().formatHex(nonce)), v.ownerKey());
  }

  /** The licence the demo gives {@code consumer}, one of its two insurers. */
  public static java.util.Optional<LicenceTerms> licenceOf(OrgId consumer) {
    return java.util.stream.Stream.of(LICENCE_A, LICENCE_B).filter(l -> l.consumer().equals(consumer)).findFirst();
  }

  /**
   * One more licensed job of {@code terms}'s insurer on the maker's latest telemetry version in {@code d} (a data
   * directory the demo ran in), settled over {@code months} vehicle-months and printed: what {@code ./covenant vehicles
   * job} runs, so that an owner who withdrew sees the next job leave the vehicle out.
   */
  public Job licensedJob(LocalDeployment d, LicenceTerms terms, int months) {
    return licensedJob(d, terms, months, UbiRoute.TEE);
  }

  /** {@link #licensedJob(LocalDeployment, LicenceTerms, int)} on {@code route}. */
  public Job licensedJob(LocalDeployment d, LicenceTerms terms, int months, UbiRoute route) {
    VehicleMaker maker = new VehicleMaker(d, MAKER);
    if (route == UbiRoute.HE) storeModel(d, terms.consumer());
    int latest = d.store().latestVersion(maker.dataset());
    if (latest == 0) throw new CovenantException(MAKER + " has published no telemetry in " + d.dataDir() + "; run './covenant demo vehicles' there first");
    Job j = licensedJob(d, maker, terms, DatasetVersion.parse(maker.dataset() + "@" + latest), months * 30, route);
    printJob(j);
    var st = j.settled().sheet().settlement();
    out.print(indent(TextTable.withHeaders("job", "amount", "maker", "owners", "owners paid", "records", "vehicle-months", "entry")
        .row(j.outcome().job().value(), eur(st.amount()), eur(st.makerAmount()), eur(st.ownersAmount()), st.owners(), st.records(), st.vehicleMonths(),
            j.settled().entry().index()).render()));
    return j;
  }

  /**
   * Where the demo leaves the key of a sample vehicle owner, {@code <data-dir>/vehicle-owners/<VIN>.json}: in practice
   * the owner's app holds it; the demo keeps the owners' keys (it plays them) and writes this one out so that a person
   * can act as that owner from the CLI ({@code ./covenant owner withdraw}).
   */
  public static java.nio.file.Path ownerKeyFile(java.nio.file.Path dataDir, String vin) {
    return dataDir.resolve("vehicle-owners").resolve(vin + ".json");
  }

  private static void writeOwnerKey(java.nio.file.Path dataDir, SyntheticFleet.Vehicle v) {
    java.nio.file.Path f = ownerKeyFile(dataDir, v.vin());
    try {
      java.nio.file.Files.createDirectories(f.getParent());
      java.nio.file.Path temp = java.nio.file.Files.createTempFile(f.getParent(), v.vin(), ".part",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      java.nio.file.Files.writeString(temp, io.covenant.core.codec.Json.obj("vin", v.vin(), "ownerKeySeed", HexFormat.of().formatHex(v.ownerKey().seedForKeystore())).encode());
      java.nio.file.Files.move(temp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new CovenantException("cannot write the sample owner's key to " + f + ": " + e.getMessage(), e);
    }
  }

  private Job licensedJob(LocalDeployment d, VehicleMaker maker, LicenceTerms terms, DatasetVersion version, int days, UbiRoute route) {
    VehicleMaker.LicensedUse use = maker.license(terms, version, Instant.now(), route);
    Computation computation = route == UbiRoute.HE
        ? new Computation.HeScore(modelOf(terms.consumer()).name(), UbiFeatures.SOURCE_COLUMNS, Computation.HeScore.LINEAR)
        : new Computation.SqlQuery(UbiScoring.SQL);
    JobOutcome o = d.consumer(terms.consumer()).submit(List.of(version), route == UbiRoute.HE ? Engine.HE : Engine.TEE, terms.purpose(), computation);
    if (o.state() != JobState.COMMITTED) throw new CovenantException("the UBI job of " + terms.consumer() + " ended " + o.state() + ": " + String.join("; ", o.reasons()));
    ResultTable scores;
    Optional<io.covenant.mpc.he.Precision> precision = Optional.empty();
    double difference = 0;
    if (route == UbiRoute.HE) {
      UbiHeEngine.PricedVehicles priced = d.ubiHeEngine().open(o.job());
      List<List<Object>> rows = new ArrayList<>();
      double[] v = priced.scores();
      for (int i = 0; i < v.length; i++) rows.add(List.of(priced.vehicles().get(i), v[i]));
      scores = new ResultTable(List.of("vehicle", "score"), rows);
      precision = Optional.of(priced.precision());
      difference = plaintextDifference(d, maker, version, use, priced);
    } else {
      scores = d.consumer(terms.consumer()).result(o.job());
    }
    VehicleMaker.Settled settled = maker.settle(o.job(), version, use, Math.max(1, (days + 29) / 30), Instant.now());
    return new Job(terms.consumer().value(), use, o, scores, settled, route, precision, difference);
  }

  /** The insurer's pricing model in the demo. */
  public static UbiPricingModel modelOf(OrgId insurer) {
    return INSURER_B.equals(insurer) ? UbiPricingModel.BEACON : UbiPricingModel.AURORA;
  }

  /** The insurer keeps its pricing model in its own folder, owner-only (what its side of the HE route reads). */
  private static void storeModel(LocalDeployment d, OrgId insurer) {
    UbiPricingModel m = modelOf(insurer);
    UbiHeEngine.models(d.dataDir(), insurer).save(m.name(), m.weights(), m.bias());
  }

  /**
   * The largest difference between the decrypted scores and the plaintext model on the same vehicles' features, which
   * the demo computes from the maker's data with the same vehicles left out; the scored vehicles must be exactly the
   * covered ones with enough trips.
   */
  private static double plaintextDifference(LocalDeployment d, VehicleMaker maker, DatasetVersion version, VehicleMaker.LicensedUse use, UbiHeEngine.PricedVehicles priced) {
    java.util.Set<String> left = new java.util.HashSet<>(maker.recordsPerVehicle(version).keySet());
    left.removeAll(use.covered().keySet());
    var record = d.store().dataset(version).orElseThrow();
    List<UbiFeatures.Vehicle> reference = maker.features(version, record.manifest(), maker.subjectDigests(left), UbiScoring.MIN_TRIPS);
    if (!reference.stream().map(UbiFeatures.Vehicle::pseudonym).toList().equals(priced.vehicles())) {
      throw new CovenantException("job " + priced.job() + " scored other vehicles than the covered ones with " + UbiScoring.MIN_TRIPS + " trips or more");
    }
    UbiPricingModel model = modelOf(use.licence().consumer());
    double[] v = priced.scores();
    double worst = 0;
    for (int i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i] - model.score(reference.get(i).features())));
    return worst;
  }

  private void printJob(Job j) {
    out.println("  " + j.consumer() + ", licence " + j.use().licence().id() + " (" + eur(j.use().licence().pricePerJob()) + " EUR per job + "
        + eur(j.use().licence().pricePerVehicleMonth()) + " per vehicle-month), job " + j.outcome().job() + ": " + j.use().covered().size() + " vehicles covered by consent, "
        + j.use().excluded() + (j.route() == UbiRoute.HE ? " left out on the maker's side before scoring; " : " left out inside the enclave; ") + j.scores().rows().size() + " scored");
    j.precision().ifPresent(p -> out.println(String.format(java.util.Locale.ROOT, "  encrypted scores decrypted by the insurer: largest difference from its plaintext model %.2e; precision: %s",
        j.plaintextDifference(), p)));
    TextTable bands = TextTable.withHeaders("risk band", "score", "vehicles", "mean score");
    for (var e : UbiScoring.bands(j.scores()).entrySet()) {
      double[] a = e.getValue();
      bands.row(e.getKey().name().toLowerCase(), e.getKey().range(), (long) a[0], a[0] == 0 ? "-" : String.format("%.1f", a[1] / a[0]));
    }
    out.print(indent(bands.render()));
  }

  /** Replays one accepted record and forges another (its distance edited after signing) in a new batch. */
  private static TelemetryRefusedException refuseBadBatch(LocalDeployment d, VehicleMaker maker, SyntheticFleet fleet, DatasetVersion version) {
    SyntheticFleet.Vehicle v = fleet.vehicles().get(0);
    List<SignedTelemetry> trips = fleet.signedTrips(v);
    SignedTelemetry replayed = trips.get(trips.size() - 1);
    TelemetryRecord t = replayed.record();
    TelemetryRecord next = new TelemetryRecord(t.device(), t.sequence() + 1, t.trip() + 1, t.end() + 600, t.end() + 1800, 12_000, 700, 450, 200, 150, 0, 0,
        t.odometerM() + 12_000, 700, t.cell());
    SignedTelemetry genuine = SignedTelemetry.sign(next, v.deviceKey());
    TelemetryRecord edited = new TelemetryRecord(next.device(), next.sequence() + 1, next.trip() + 1, next.end() + 600, next.end() + 1200, 1_000, 500, 300, 100, 100, 0, 0,
        next.odometerM() + 1_000, 690, next.cell());
    SignedTelemetry forged = new SignedTelemetry(new TelemetryRecord(edited.device(), edited.sequence(), edited.trip(), edited.start(), edited.end(), 100,
        edited.maxSpeedDkmh(), edited.meanSpeedDkmh(), edited.maxAccelCms2(), edited.maxDecelCms2(), edited.harshBrakes(), edited.speedingS(), edited.odometerM(),
        edited.batteryPermille(), edited.cell()), SignedTelemetry.sign(edited, v.deviceKey()).signature());
    long before = d.ledger().size();
    try {
      maker.ingest(List.of(genuine, replayed, forged).iterator(), Instant.now(), n -> {});
    } catch (TelemetryRefusedException e) {
      if (d.ledger().size() != before) throw new CovenantException("a refused batch changed the ledger");
      return e;
    }
    throw new CovenantException("the batch with a replayed and a forged record was accepted");
  }

  /** Edits the first settlement's maker amount in an exported copy of the ledger and verifies the copy. */
  private static VerificationReport tamperSettlement(LocalDeployment d, Job job) {
    try {
      Path dir = Files.createDirectories(d.dataDir().resolve("tamper-test"));
      Path export = dir.resolve("vehicles-ledger-export.jsonl");
      d.ledger().export(export);
      List<String> lines = new ArrayList<>(Files.readAllLines(export));
      long maker = job.settled().sheet().makerAmount();
      String needle = "\"makerAmount\":" + maker;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("USAGE_SETTLED") && lines.get(i).contains(job.outcome().job().value()) && lines.get(i).contains(needle)) {
          lines.set(i, lines.get(i).replace(needle, "\"makerAmount\":" + (maker + 100)));
          break;
        }
      }
      Path forged = dir.resolve("vehicles-ledger-export-forged.jsonl");
      Files.write(forged, lines);
      return LedgerVerifier.verify(LedgerExport.read(forged), AuditorTrust.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The insider's forgery: the operator moves 100 minor units of a settlement from the owners to the maker (so the parts
   * still sum to the amount), re-signs the entry with its own key, re-links every later entry and signs a new checkpoint.
   * Every signature and hash then holds; only the settlement rule (the licence's share on the ledger) catches it.
   */
  private static VerificationReport operatorRewritesSettlement(LocalDeployment d, Job job) {
    LedgerExport honest = LedgerExport.ofLedgerDirectory(d.ledgerDir());
    var key = d.keystore(LocalDeployment.OPERATOR).credentials().signingKey();
    List<io.covenant.ledger.LedgerEntry> rewritten = new ArrayList<>();
    Digest previous = io.covenant.ledger.LedgerEntry.NO_PREVIOUS;
    var tree = new io.covenant.ledger.merkle.MerkleTree();
    for (io.covenant.ledger.LedgerEntry e : honest.entries()) {
      var event = e.event();
      if (e.index() == job.settled().entry().index() && event.event() instanceof io.covenant.core.event.AuditEvent.UsageSettled u) {
        var st = u.settlement().orElseThrow();
        var moved = new io.covenant.core.event.AuditEvent.Settlement(st.licence(), st.amount(), st.makerAmount() + 100, st.ownersAmount() - 100, st.owners(),
            st.records(), st.vehicleMonths(), st.ownersRoot());
        event = io.covenant.core.event.SignedEvent.sign(new io.covenant.core.event.AuditEvent.UsageSettled(u.jobId(), u.dataset(), u.beneficiary(), u.units(),
            java.util.Optional.of(moved)), event.actor(), key, event.issuedAt());
      }
      io.covenant.ledger.LedgerEntry r = new io.covenant.ledger.LedgerEntry(e.index(), event, previous);
      rewritten.add(r);
      previous = r.leafHash();
      tree.append(previous);
    }
    var checkpoint = io.covenant.ledger.SignedCheckpoint.sign(tree.size(), tree.root(), Instant.now(), key);
    return LedgerVerifier.verify(new LedgerExport(rewritten, checkpoint, List.of(), List.of()), checkpoint.logKey());
  }

  private static void createIfNew(LocalDeployment d, OrgId org, String name, OrgRole role) {
    if (d.ledger().organisation(org).isEmpty()) d.createOrganisation(org, name, Set.of(role));
  }

  static String eur(long cents) {
    return String.format("%d.%02d", cents / 100, cents % 100);
  }

  private void step(String title) {
    step++;
    stepStarted = System.nanoTime();
    out.printf("[%d/%d] %s%n", step, steps, title);
  }

  private void done(String summary) {
    out.printf("  ... %s%s(step took %.1f s)%n", summary, summary.isEmpty() ? "" : " ", (System.nanoTime() - stepStarted) / 1e9);
  }

  private static String indent(String s) {
    return s.lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse("") + "\n";
  }
}

package io.covenant.coordinator.vehicles;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.DeviceCertificates;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.settlement.SettlementRule;
import io.covenant.ledger.settlement.SettlementSheet;
import io.covenant.policy.consent.ConsentBook;
import io.covenant.policy.consent.SignedConsent;
import io.covenant.policy.licence.Licence;
import io.covenant.storage.telemetry.DeviceDirectory;
import io.covenant.storage.telemetry.IngestState;
import io.covenant.storage.telemetry.SignedTelemetry;
import io.covenant.storage.telemetry.TelemetryIngest;
import io.covenant.storage.telemetry.VerifiedTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A vehicle maker's side of OBD licensing, on the deployment it belongs to: it certifies its vehicles' OBD units,
 * ingests their signed telemetry into its encrypted telemetry dataset, keeps its owners' signed consents (recording
 * only their digests on the ledger), licenses the dataset to consumers (a policy with a price), and settles each
 * licensed job between itself and the contributing owners.
 *
 * <p>What it keeps, in its own folder ({@code orgs/<maker>/vehicles/}): the device certificates, the ingest state, the
 * records per vehicle pseudonym of each telemetry version, the consents, the licences, and each settlement's sheet.
 * Vehicles are named by pseudonym everywhere outside its ingest: HMAC-SHA256 of {@code vin:<VIN>} under the telemetry
 * dataset's subject key, which only the maker (and an attested enclave it releases the key to) holds.
 */
public final class VehicleMaker {
  /** The telemetry dataset's name. */
  public static final String DATASET = "telemetry";
  /** A month of data, for vehicle-month pricing: 30 days. */
  public static final long MONTH_SECONDS = 30L * 86_400;

  private final LocalDeployment deployment;
  private final OrgId maker;
  private final DatasetId dataset;
  private final Path dir;
  private ConsentBook book;

  public VehicleMaker(LocalDeployment deployment, OrgId maker) {
    this.deployment = deployment;
    this.maker = maker;
    this.dataset = new DatasetId(maker, DATASET);
    this.dir = deployment.dataDir().resolve("orgs").resolve(maker.value()).resolve("vehicles");
    deployment.requireOrganisation(maker);
  }

  public OrgId org() {
    return maker;
  }

  public DatasetId dataset() {
    return dataset;
  }

  /** The vehicle's pseudonym: what the dataset, consents and settlements call it. */
  public String pseudonym(String vin) {
    SubjectKey key = deployment.keystore(maker).kek().subjectKey(dataset);
    try {
      return key.digest("vin:" + vin);
    } finally {
      key.destroy();
    }
  }

  /** A pseudonymiser holding the key for a whole ingest (one derivation, not one per vehicle). */
  private java.util.function.Function<String, String> pseudonymiser() {
    SubjectKey key = deployment.keystore(maker).kek().subjectKey(dataset);
    return vin -> key.digest("vin:" + vin);
  }

  // ---- devices ----------------------------------------------------------------------------------------------------

  /** Certifies each unit's key for its VIN with the maker's signing key, and keeps the certificates. */
  public List<OrgCertificate> certify(List<SyntheticFleet.Vehicle> vehicles, Instant now) {
    var key = deployment.keystore(maker).credentials().signingKey();
    List<OrgCertificate> certs = vehicles.parallelStream()
        .map(v -> DeviceCertificates.issue(maker, key, v.device(), v.vin(), v.deviceKey().verifyingKey(), now, DeviceCertificates.DEVICE_VALIDITY))
        .toList();
    appendLines(dir.resolve("devices.jsonl"), certs.stream().map(c -> Json.obj("certificate", c.base64())).toList());
    return certs;
  }

  /** Adds certificates issued elsewhere (a device list file) after checking each against the maker's key. */
  public void addDevices(List<OrgCertificate> certs, Instant now) {
    DeviceDirectory.of(maker, makerKey(), certs, now); // refuses the whole list on the first bad certificate
    appendLines(dir.resolve("devices.jsonl"), certs.stream().map(c -> Json.obj("certificate", c.base64())).toList());
  }

  /** The certified units, each certificate checked against the maker's key on the ledger (and the pinned root, if any). */
  public DeviceDirectory devices(Instant now) {
    List<OrgCertificate> certs = readLines(dir.resolve("devices.jsonl")).stream().map(o -> OrgCertificate.parse(o.string("certificate"))).toList();
    // Where the deployment pins a consortium root, the maker's own certificate must chain to it: device certificates
    // are only as good as the maker's consortium identity (DeviceCertificates).
    deployment.pinnedRoot().ifPresent(root -> deployment.requireOrganisation(maker).certificate().ifPresent(mc ->
        root.problemWith(mc, maker, makerKey(), now).ifPresent(p -> {
          throw new CovenantException("maker " + maker + " is not certified by the consortium (" + p + "); its device certificates cannot be trusted");
        })));
    return DeviceDirectory.of(maker, makerKey(), certs, now);
  }

  private VerifyingKey makerKey() {
    return deployment.requireOrganisation(maker).signingKey();
  }

  // ---- telemetry --------------------------------------------------------------------------------------------------

  /** An ingested batch: the dataset version it became and how many records of how many vehicles it holds. */
  public record Ingested(DatasetRecord dataset, int records, int vehicles) {}

  /**
   * Verifies every record of {@code records} and, only if all are accepted, publishes them as a new encrypted version
   * of the telemetry dataset (DATASET_PUBLISHED); then keeps the records per vehicle and the advanced ingest state. A
   * refused batch throws {@code TelemetryRefusedException} before anything is stored.
   */
  public Ingested ingest(Iterator<SignedTelemetry> records, Instant now, LongConsumer verifiedSoFar) {
    IngestState state = Files.exists(dir.resolve("ingest-state.json"))
        ? IngestState.fromJson(Json.parseObject(read(dir.resolve("ingest-state.json")))) : IngestState.empty();
    VerifiedTelemetry verified = new TelemetryIngest(devices(now), state, pseudonymiser()).verify(records, verifiedSoFar);
    if (verified.rows() == 0) throw new CovenantException("the telemetry batch holds no records; nothing was published");
    DatasetRecord published;
    try (BufferAllocator allocator = new RootAllocator(); var batches = verified.batches(allocator, 16_384)) {
      published = deployment.owner(maker).publish(DATASET, TelemetryIngest.SCHEMA, batches);
    }
    TreeMap<String, Long> perVehicle = verified.recordsPerVehicle();
    Json.JObject index = Json.obj("dataset", published.version().toString(), "records", Json.obj(perVehicle.entrySet().stream()
        .flatMap(e -> java.util.stream.Stream.of((Object) e.getKey(), e.getValue())).toArray()));
    writeAtomically(dir.resolve("records").resolve(published.version().version() + ".json"), index.encode());
    writeAtomically(dir.resolve("ingest-state.json"), verified.nextState().toJson().encode());
    return new Ingested(published, verified.rows(), perVehicle.size());
  }

  /**
   * Forgets what the ingest accepted so far, so the same records can be ingested again as a new version: for
   * {@code bench vehicles} only, which ingests one fleet's records several times; never part of a maker's operation.
   */
  public void forgetIngestStateForBenchmark() {
    try {
      Files.deleteIfExists(dir.resolve("ingest-state.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records per vehicle pseudonym in {@code version} of the telemetry dataset, as the ingest counted them. */
  public TreeMap<String, Long> recordsPerVehicle(DatasetVersion version) {
    Path p = dir.resolve("records").resolve(version.version() + ".json");
    if (!Files.exists(p)) throw new CovenantException("no records index for " + version + "; was it ingested with './covenant telemetry ingest'?");
    TreeMap<String, Long> m = new TreeMap<>();
    Json.parseObject(read(p)).object("records").members().forEach((k, v) -> m.put(k, ((Json.JNumber) v).longValue()));
    return m;
  }

  /**
   * The maker reads its own telemetry {@code version} (manifest {@code manifest}) in this process and sums each
   * vehicle's {@link UbiFeatures}, leaving out the vehicles whose subject digest is in {@code excludedDigests} before
   * any of their rows is summed, and keeping those with at least {@code minTrips} trips, by pseudonym.
   */
  public List<UbiFeatures.Vehicle> features(DatasetVersion version, io.covenant.core.cid.Cid manifest, java.util.Set<String> excludedDigests, int minTrips) {
    var ks = deployment.keystore(maker);
    UbiFeatures[] features = new UbiFeatures[1];
    new io.covenant.node.ownjob.OwnShards(ks.credentials(), ks.kek(), ks::wrappedKey, deployment.blockstore()).read(version, manifest, subjects -> {
      features[0] = new UbiFeatures(excludedDigests, subjects);
      return features[0]::add;
    });
    return features[0].vehicles(minTrips);
  }

  /** The subject digests of {@code pseudonyms} under the telemetry dataset's subject key (how a policy lists withdrawn vehicles). */
  public java.util.Set<String> subjectDigests(java.util.Collection<String> pseudonyms) {
    SubjectKey key = deployment.keystore(maker).kek().subjectKey(dataset);
    try {
      return pseudonyms.stream().map(key::digest).collect(java.util.stream.Collectors.toSet());
    } finally {
      key.destroy();
    }
  }

  // ---- consent ----------------------------------------------------------------------------------------------------

  /** Checks the owner's signature, keeps the consent, and records its digest (CONSENT_RECORDED, nothing else). */
  public Digest recordConsent(SignedConsent consent, Instant now) {
    return recordConsents(List.of(consent), now).get(0);
  }

  /**
   * Records consents: each is checked (signature; a withdrawal's grant) before any is kept, then all are kept in the
   * maker's file, then their digests go on the ledger, appended from several threads so that the ledger's group commit
   * syncs them together. A consent that fails its check stops the call before anything is kept or recorded.
   */
  public List<Digest> recordConsents(List<SignedConsent> consents, Instant now) {
    ConsentBook trial = new ConsentBook(dataset);
    // A vehicle's owner is the key of its first consent: a grant signed by another key for the same vehicle is refused.
    Map<String, io.covenant.core.crypto.VerifyingKey> owners = new java.util.HashMap<>();
    for (SignedConsent c : consents().consents()) {
      trial.add(c);
      owners.putIfAbsent(c.consent().vehicle(), c.consent().owner());
    }
    List<Digest> digests = new ArrayList<>();
    for (SignedConsent c : consents) {
      var known = owners.putIfAbsent(c.consent().vehicle(), c.consent().owner());
      if (known != null && !known.equals(c.consent().owner())) {
        throw new io.covenant.core.error.IntegrityException("a consent for vehicle " + c.consent().vehicle().substring(0, 12) + "… is signed by a key that is not its "
            + "owner's (the key of its earlier consents); nothing was recorded");
      }
      digests.add(trial.add(c));
    }
    appendLines(dir.resolve("consents.jsonl"), consents.stream().map(SignedConsent::toJson).toList());
    book = trial;
    var c = deployment.keystore(maker).credentials();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(32, Math.max(1, digests.size())));
    try {
      List<java.util.concurrent.Future<?>> appended = new ArrayList<>();
      for (Digest d : digests) {
        appended.add(pool.submit(() -> deployment.ledger().append(SignedEvent.sign(new AuditEvent.ConsentRecorded(dataset, d), c.org(), c.signingKey(), now))));
      }
      for (var f : appended) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while recording consents; the ones kept are in the maker's file, record them again", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CovenantException("recording a consent on the ledger failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdown();
    }
    return digests;
  }

  /** Every consent the maker keeps, each signature checked as it is read (once per maker object). */
  public ConsentBook consents() {
    if (book == null) {
      ConsentBook b = new ConsentBook(dataset);
      for (Json.JObject o : readLines(dir.resolve("consents.jsonl"))) b.add(SignedConsent.fromJson(o));
      book = b;
    }
    return book;
  }

  // ---- licences and settlement ------------------------------------------------------------------------------------

  /** A licence in force for one job: its terms, the policy that carries them, and which vehicles it covers. */
  public record LicensedUse(Licence licence, PolicyRecord policy, TreeMap<String, Digest> covered, int excluded) {}

  /**
   * Puts a licence in force for {@code consumer}'s next job on {@code version}: works out from the consents, as of
   * {@code now}, which vehicles' owners allow this consumer this purpose at this price, publishes the licence policy
   * listing every other vehicle of the version as withdrawn (so the enclave drops their rows before any query runs), and
   * records the licence's terms (LICENCE_PUBLISHED, bound to that policy's hash).
   */
  public LicensedUse license(LicenceTerms terms, DatasetVersion version, Instant now) {
    return license(terms, version, now, UbiRoute.TEE);
  }

  /** {@link #license(LicenceTerms, DatasetVersion, Instant)} for a job on {@code route}: the policy admits that engine only. */
  public LicensedUse license(LicenceTerms terms, DatasetVersion version, Instant now, UbiRoute route) {
    TreeMap<String, Long> inVersion = recordsPerVehicle(version);
    // The terms before their policy exists: only the price is read from this draft (what owners get per vehicle-month).
    Licence draft = terms.licence(dataset, deployment.suite().hash(new byte[0]));
    TreeMap<String, Digest> covered = new TreeMap<>();
    consents().covered(terms.consumer(), terms.purpose(), now, draft.ownersPerVehicleMonth()).forEach((v, g) -> {
      if (inVersion.containsKey(v)) covered.put(v, g);
    });
    SubjectKey key = deployment.keystore(maker).kek().subjectKey(dataset);
    List<String> withdrawn;
    try {
      withdrawn = inVersion.keySet().stream().filter(v -> !covered.containsKey(v)).map(key::digest).sorted().toList();
    } finally {
      key.destroy();
    }
    String text = route == UbiRoute.HE ? UbiScoring.hePolicy(dataset, terms, withdrawn, inVersion.size()) : UbiScoring.policy(dataset, terms, withdrawn);
    PolicyRecord policy = deployment.owner(maker).publishPolicy(text);
    Licence licence = terms.licence(dataset, policy.hash());
    // The same terms over the same consents make the same licence (same policy text, same hash): it is in force
    // already, and the ledger takes each licence once. The file is written after the entry, so it proves the entry.
    Path kept = dir.resolve("licences").resolve(licence.hash(deployment.suite()).hex() + ".json");
    if (!Files.exists(kept)) {
      sign(licence.event(deployment.suite()), now);
      writeAtomically(kept, licence.toJson().encode());
    }
    return new LicensedUse(licence, policy, covered, withdrawn.size());
  }

  /** A settled job: the sheet (kept by the maker) and the ledger entry that commits to it. */
  public record Settled(SettlementSheet sheet, LedgerEntry entry) {}

  /**
   * Settles {@code job} under {@code use}: every covered vehicle's records in {@code version} are paid for, pro rata,
   * by the licence's rule; the sheet is kept in the maker's folder with which grant covered each vehicle, and the
   * operator records USAGE_SETTLED with the amounts and the owners' Merkle root.
   */
  public Settled settle(JobId job, DatasetVersion version, LicensedUse use, long months, Instant now) {
    TreeMap<String, Long> inVersion = recordsPerVehicle(version);
    SortedMap<String, Long> used = new TreeMap<>();
    use.covered().keySet().forEach(v -> used.put(v, inVersion.get(v)));
    SettlementSheet sheet = SettlementRule.settle(use.licence().event(deployment.suite()), months, used);
    Json.JObject grants = Json.obj(use.covered().entrySet().stream().flatMap(e -> java.util.stream.Stream.of((Object) e.getKey(), e.getValue().hex())).toArray());
    writeAtomically(dir.resolve("settlements").resolve(job.value() + ".json"), Json.obj(
        "job", job.value(), "dataset", version.toString(), "consumer", use.licence().consumer(), "purpose", use.licence().purpose(),
        "licenceId", use.licence().id(), "at", now.toString(), "sheet", sheet.toJson(), "grants", grants).encode());
    var operator = deployment.keystore(LocalDeployment.OPERATOR).credentials();
    LedgerEntry entry = deployment.ledger().append(SignedEvent.sign(
        new AuditEvent.UsageSettled(job, dataset, maker, sheet.records(), Optional.of(sheet.settlement())), operator.org(), operator.signingKey(), now));
    return new Settled(sheet, entry);
  }

  /** A settlement as the maker keeps it. */
  public record KeptSettlement(JobId job, DatasetVersion dataset, OrgId consumer, String purpose, String licenceId, Instant at, SettlementSheet sheet,
      Map<String, Digest> grants) {}

  /** Every settlement the maker keeps, oldest first. */
  public List<KeptSettlement> settlements() {
    Path d = dir.resolve("settlements");
    if (!Files.isDirectory(d)) return List.of();
    List<KeptSettlement> out = new ArrayList<>();
    try (var files = Files.list(d)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        Json.JObject o = Json.parseObject(read(p));
        Map<String, Digest> grants = new TreeMap<>();
        o.object("grants").members().forEach((k, v) -> grants.put(k, Digest.parse(((Json.JString) v).value())));
        out.add(new KeptSettlement(new JobId(o.string("job")), DatasetVersion.parse(o.string("dataset")), new OrgId(o.string("consumer")), o.string("purpose"),
            o.string("licenceId"), Instant.parse(o.string("at")), SettlementSheet.fromJson(o.object("sheet")), grants));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(java.util.Comparator.comparing(KeptSettlement::at).thenComparing(k -> k.job().value()));
    return out;
  }

  // ---- files and signing ------------------------------------------------------------------------------------------

  private void sign(AuditEvent e, Instant now) {
    var c = deployment.keystore(maker).credentials();
    deployment.ledger().append(SignedEvent.sign(e, c.org(), c.signingKey(), now));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static List<Json.JObject> readLines(Path p) {
    if (!Files.exists(p)) return List.of();
    return read(p).lines().filter(l -> !l.isBlank()).map(Json::parseObject).toList();
  }

  private static void appendLines(Path p, List<Json.JObject> lines) {
    if (lines.isEmpty()) return;
    StringBuilder b = new StringBuilder();
    for (Json.JObject o : lines) b.append(o.encode()).append('\n');
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path p, String text) {
    try {
      Files.createDirectories(p.getParent());
      Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
    }
  }
}

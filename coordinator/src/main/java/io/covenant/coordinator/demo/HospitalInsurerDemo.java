package io.covenant.coordinator.demo;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import io.covenant.ledger.witness.CosigningRound;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import io.covenant.tee.compute.ResultTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The seed scenario "hospital → insurer statistics", end to end on embedded defaults: three hospitals publish
 * encrypted claims and policies, an insurer asks for claim statistics by diagnosis chapter and age band, the TEE
 * worker computes them after each owner released its key to the attested worker, the insurer opens the result, and
 * the ledger is verified, then shown to catch tampering. A second query that breaks the policies is refused.
 */
public final class HospitalInsurerDemo {
  public static final OrgId INSURER = OrgId.of("insurer-x");
  public static final String STATISTICS_SQL = """
      SELECT icd10_chapter(diagnosis) AS chapter, age_band(age) AS age_band,
             COUNT(*) AS claims, AVG(claim_cost) AS avg_claim_cost
      FROM claims
      GROUP BY icd10_chapter(diagnosis), age_band(age)
      ORDER BY chapter, age_band""";
  public static final String SINGLING_OUT_SQL = """
      SELECT patient_id, COUNT(*) AS claims, SUM(claim_cost) AS total_cost
      FROM claims GROUP BY patient_id""";

  /** The demo policies' privacy budget: epsilon spent by each query, and in total per consumer. */
  public static final java.math.BigDecimal PRIVACY_EPSILON_PER_QUERY = java.math.BigDecimal.ONE;
  public static final java.math.BigDecimal PRIVACY_EPSILON_TOTAL = java.math.BigDecimal.valueOf(20);

  /** Hospital, display name, rows, seed and price level. */
  public record Hospital(OrgId org, String name, int rows, long seed, double costLevel) {}

  public static final List<Hospital> HOSPITALS = List.of(
      new Hospital(OrgId.of("hospital-a"), "St. Anne's Hospital", 12_000, 0xA11CEL, 1.00),
      new Hospital(OrgId.of("hospital-b"), "Riverside Medical Centre", 10_500, 0xB0BL, 1.12),
      new Hospital(OrgId.of("hospital-c"), "Northgate Clinic", 15_000, 0xC0FFEEL, 0.93));

  private final PrintStream out;
  private final int steps = 9;
  private int step;
  private long started;
  private long stepStarted;

  public HospitalInsurerDemo(PrintStream out) {
    this.out = out;
  }

  /** What one demo run produced, for tests and for the CLI's exit code. */
  public record Outcome(JobOutcome statistics, ResultTable result, VerificationReport verified, VerificationReport tampered, JobOutcome denied) {}

  public Outcome run(LocalDeployment d) {
    started = System.nanoTime();
    out.println("Covenant demo: hospital -> insurer claim statistics (data stays encrypted; only the result leaves the enclave)");
    out.println("data directory: " + d.dataDir().toAbsolutePath());
    out.println("crypto suite: " + d.suite().id() + " (" + d.suite().signatureAlgorithm() + " signatures, " + d.suite().hashAlgorithm() + " Merkle tree and CIDs, "
        + d.suite().aeadAlgorithm() + " shards, key sealing by " + d.suite().kemAlgorithm() + ")");
    out.println();

    step(d.pinnedRoot().isPresent()
        ? "Enrolling organisations with the consortium CA: encrypted keystores, certificates and ORG_REGISTERED, as './covenant org enrol' does"
        : "Creating organisations: their keys and ORG_REGISTERED on the ledger, as './covenant org create' does");
    int created = 0;
    for (Hospital h : HOSPITALS) created += createIfNew(d, h.org(), h.name(), OrgRole.OWNER);
    created += createIfNew(d, INSURER, "Insurer X", OrgRole.CONSUMER);
    done((HOSPITALS.size() + 2) + " organisations, each with its own signing and encryption keys"
        + d.pinnedRoot().map(r -> ", certified by '" + r.name() + "'").orElse("")
        + (created < HOSPITALS.size() + 1 ? " (" + (HOSPITALS.size() + 1 - created) + " already there from an earlier run)" : ""));

    step("The hospitals and insurer-x become witnesses of the ledger (each cosigns checkpoints with a witness key of its own)");
    List<OrgId> witnesses = new ArrayList<>();
    for (Hospital h : HOSPITALS) witnesses.add(h.org());
    witnesses.add(INSURER);
    Consortium consortium = d.formConsortium(witnesses, witnesses.size() - 1);
    var round = cosign(d);
    done("quorum " + consortium.quorum() + " of " + consortium.witnesses().size() + " (" + d.consortiumFile().getFileName() + "); checkpoint of "
        + round.checkpoint().checkpoint().treeSize() + " entries cosigned by " + round.checkpoint().cosignatures().size());

    step("Hospitals encrypt and publish their claims (Arrow -> " + d.suite().aeadAlgorithm() + " shards -> CIDv1 blocks)");
    List<DatasetVersion> versions = new ArrayList<>();
    TextTable published = TextTable.withHeaders("dataset", "rows", "shards", "manifest CID").maxCellWidth(100);
    try (BufferAllocator allocator = new RootAllocator()) {
      for (Hospital h : HOSPITALS) {
        try (var batches = SyntheticClaims.generate(allocator, h.seed(), h.rows(), h.costLevel(), 4096)) {
          DatasetRecord r = d.owner(h.org()).publish("claims", SyntheticClaims.SCHEMA, batches);
          versions.add(r.version());
          published.row(r.version(), r.rows(), r.shards(), r.manifest());
        }
      }
    }
    done("");
    out.print(indent(published.render()));

    step("Hospitals publish usage policies (insurer-x, purpose risk-model, TEE only, min cohort 10, privacy budget)");
    TextTable policies = TextTable.withHeaders("dataset", "policy", "hash", "patient_id", "claim_cost", "min cohort", "epsilon per query / total");
    for (Hospital h : HOSPITALS) {
      PolicyRecord p = d.owner(h.org()).publishPolicy(policyFor(h.org()));
      policies.row(p.dataset(), p.policyId(), p.hash().shortForm(), "never", "aggregate", 10,
          PRIVACY_EPSILON_PER_QUERY.toPlainString() + " / " + PRIVACY_EPSILON_TOTAL.toPlainString());
    }
    cosign(d); // witnessed as each stage ends, so a later rewrite is narrowed to the stage it touched
    done("");
    out.print(indent(policies.render()));

    step("insurer-x asks: claims and average claim cost by ICD-10 chapter and age band, across all three hospitals");
    out.print(indent(STATISTICS_SQL.strip() + "\n"));
    JobOutcome stats = d.consumer(INSURER).submit(versions, Engine.TEE, new Purpose("risk-model"), new Computation.SqlQuery(STATISTICS_SQL));
    if (stats.state() != JobState.COMMITTED) {
      throw new CovenantException("the statistics job ended " + stats.state() + ": " + String.join("; ", stats.reasons()));
    }
    done("job " + stats.job() + " committed; result hash " + stats.resultHash().orElseThrow().shortForm());

    step("insurer-x opens the result (sealed to its key; hash checked against the ledger)");
    ResultTable result = d.consumer(INSURER).result(stats.job());
    long suppressed = suppressedGroups(d, stats);
    done(Plural.of(result.rows().size(), "group") + " released; " + Plural.of(suppressed, "group")
        + " whose noisy count fell under the minimum cohort of 10 suppressed inside the enclave; counts and averages carry "
        + "discrete Laplace noise (epsilon " + PRIVACY_EPSILON_PER_QUERY.toPlainString() + " spent of " + PRIVACY_EPSILON_TOTAL.toPlainString() + ")");
    out.print(indent(result.render()));

    step("Audit trail of " + stats.job());
    List<LedgerEntry> trail = d.ledger().entriesForJob(stats.job());
    done(Plural.of(trail.size(), "entry", "entries") + ", each signed by the organisation that acted");
    out.print(indent(AuditTrail.render(trail)));

    step("Verifying the ledger from its files alone (signatures, hash chain, Merkle roots, witness quorum, job lifecycles)");
    var checkpoint = cosign(d).checkpoint();
    VerificationReport verified = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(d.ledgerDir()), AuditorTrust.NONE.withConsortium(consortium));
    if (!verified.ok()) throw new CovenantException("the ledger does not verify: " + verified.failure().orElseThrow());
    done(Plural.of(verified.entries(), "entry", "entries") + ", " + Plural.of(verified.jobs(), "job") + "; checkpoint of "
        + checkpoint.checkpoint().treeSize() + " entries (root " + checkpoint.checkpoint().rootHash().shortForm() + ") cosigned by "
        + String.join(", ", verified.cosigners()));
    if (verified.witnessed() != verified.entries()) {
      throw new CovenantException("verify found " + verified.entries() + " entries but the witnesses cosigned " + verified.witnessed());
    }
    out.println("  verified");
    VerificationReport tampered = tamperAndVerify(d, stats);

    step("insurer-x tries to single out patients: " + SINGLING_OUT_SQL.lines().findFirst().orElse("").strip() + " ...");
    JobOutcome denied = d.consumer(INSURER).submit(versions, Engine.TEE, new Purpose("risk-model"), new Computation.SqlQuery(SINGLING_OUT_SQL));
    if (denied.state() != JobState.DENIED) throw new CovenantException("the singling-out query was not denied: " + denied.state());
    done("DENIED (JOB_DENIED recorded on the ledger); the job never reached a worker");
    for (String reason : denied.reasons()) out.println("  - " + reason);
    cosign(d); // so the denial, too, is witnessed before anyone audits the directory
    out.println();
    out.printf("Demo complete in %.1f s in total. Inspect it: ./covenant verify --data-dir %s%n", seconds(), d.dataDir());
    return new Outcome(stats, result, verified, tampered, denied);
  }

  /** A witnessing round; a witness that refuses stops the demo, naming why. */
  private static CosigningRound.Outcome cosign(LocalDeployment d) {
    CosigningRound.Outcome round = d.cosignCheckpoint();
    if (!round.refusals().isEmpty()) throw new CovenantException("witnesses refused the ledger's checkpoint: " + String.join("; ", round.refusals().values()));
    return round;
  }

  /**
   * The insider's best forgery: the operator edits its own RESULT_COMMITTED, re-signs it and a checkpoint with its
   * real key and re-links the log. Only the witnesses' earlier cosignatures can contradict it.
   */
  private static String operatorRewrite(LocalDeployment d, JobOutcome stats, String hash, String other) {
    LedgerExport honest = LedgerExport.ofLedgerDirectory(d.ledgerDir());
    var key = d.keystore(LocalDeployment.OPERATOR).credentials().signingKey();
    List<LedgerEntry> rewritten = new ArrayList<>();
    io.covenant.core.crypto.Digest previous = LedgerEntry.NO_PREVIOUS;
    var tree = new io.covenant.ledger.merkle.MerkleTree(d.suite());
    for (LedgerEntry e : honest.entries()) {
      var event = e.event();
      if (event.event() instanceof io.covenant.core.event.AuditEvent.ResultCommitted && event.event().job().equals(java.util.Optional.of(stats.job()))) {
        var edited = io.covenant.core.event.SignedEvent.fromJson(Json.parseObject(event.toJson().encode().replace(hash, other)));
        event = io.covenant.core.event.SignedEvent.sign(edited.event(), edited.actor(), key, edited.issuedAt());
      }
      LedgerEntry r = new LedgerEntry(e.index(), event, previous, e.suite());
      rewritten.add(r);
      previous = r.leafHash();
      tree.append(previous);
    }
    var checkpoint = io.covenant.ledger.SignedCheckpoint.sign(tree.size(), tree.root(), java.time.Instant.now(), key);
    LedgerExport forged = new LedgerExport(rewritten, checkpoint, List.of(), honest.witnessed());
    Consortium consortium = d.consortium().orElseThrow();
    VerificationReport alone = LedgerVerifier.verify(forged.withWitnessed(List.of()), checkpoint.logKey());
    VerificationReport witnessed = LedgerVerifier.verify(forged, AuditorTrust.NONE.withConsortium(consortium));
    if (!alone.ok() || witnessed.ok()) throw new CovenantException("the operator-key rewrite was not told apart by the witnesses; this is a bug, please report it");
    return "without witnesses it verifies; with them: FAILED: " + witnessed.failure().orElseThrow().reason();
  }

  /** Creates the organisation as './covenant org create' does, unless an earlier run did; 1 if it was created. */
  private static int createIfNew(LocalDeployment d, OrgId org, String name, OrgRole role) {
    if (d.ledger().organisation(org).isPresent()) return 0;
    d.createOrganisation(org, name, java.util.Set.of(role));
    return 1;
  }

  /** Exports the ledger, alters one committed result in the copy as a forger would, and shows verify catching it. */
  private VerificationReport tamperAndVerify(LocalDeployment d, JobOutcome stats) {
    try {
      Path dir = Files.createDirectories(d.dataDir().resolve("tamper-test"));
      Path original = dir.resolve("ledger-export.jsonl");
      Path forged = dir.resolve("ledger-export-forged.jsonl");
      d.ledger().export(original);
      List<String> lines = new ArrayList<>(Files.readAllLines(original));
      int target = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("\"RESULT_COMMITTED\"") && lines.get(i).contains(stats.job().value())) target = i;
      }
      if (target < 0) throw new CovenantException("the export has no RESULT_COMMITTED for " + stats.job());
      String hash = stats.resultHash().orElseThrow().hex();
      String other = (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1);
      lines.set(target, lines.get(target).replace(hash, other));
      Files.write(forged, lines);
      VerificationReport report = LedgerVerifier.verify(LedgerExport.read(forged));
      out.println("  tamper test: in an exported copy of the ledger, the RESULT_COMMITTED of " + stats.job()
          + " is edited to claim result hash " + other.substring(0, 12) + "... instead of " + hash.substring(0, 12) + "...");
      if (report.ok()) throw new CovenantException("verify accepted a forged ledger; this is a bug, please report it");
      var f = report.failure().orElseThrow();
      out.println("  verify on the forged copy: FAILED: " + f.reason());
      out.println("  the operator re-signs the same edit, and a new checkpoint, with its own log key: " + operatorRewrite(d, stats, hash, other));
      out.println();
      return report;
    } catch (IOException e) {
      throw new CovenantException("the tamper test could not write under " + d.dataDir() + ": " + e.getMessage(), e);
    }
  }

  private static long suppressedGroups(LocalDeployment d, JobOutcome stats) {
    return d.ledger().entriesForJob(stats.job()).stream()
        .map(e -> e.event().event())
        .filter(e -> e instanceof io.covenant.core.event.AuditEvent.ResultCommitted)
        .mapToLong(e -> ((io.covenant.core.event.AuditEvent.ResultCommitted) e).suppressedGroups())
        .sum();
  }

  /** The policy each hospital publishes: the insurer may compute aggregates for risk modelling in an attested TEE. */
  public static String policyFor(OrgId hospital) {
    return policyFor(hospital, "-claims-insurer-statistics", PRIVACY_EPSILON_TOTAL);
  }

  /**
   * The same terms under another id and privacy budget: what a hospital would publish to let the insurer run a
   * benchmark's jobs (each spends epsilon {@link #PRIVACY_EPSILON_PER_QUERY}) without spending the demo's budget.
   */
  public static String benchmarkPolicyFor(OrgId hospital, java.math.BigDecimal epsilonTotal) {
    return policyFor(hospital, "-claims-insurer-benchmark", epsilonTotal);
  }

  private static String policyFor(OrgId hospital, String idSuffix, java.math.BigDecimal epsilonTotal) {
    return Json.obj(
        "covenantPolicy", 1,
        "id", hospital.value() + idSuffix,
        "dataset", hospital.value() + "/claims",
        "assignees", List.of(INSURER.value()),
        "purposes", List.of("risk-model"),
        // The TEE worker or the hospitals' own nodes in a three-party computation ('./covenant demo mpc').
        "engines", List.of("tee", "mpc"),
        "tee", Json.obj(
            // The demo runs the simulation provider; a production policy keeps allowSimulated false.
            "allowSimulated", true,
            "measurements", List.of(SimulatedAttestationProvider.codeMeasurement().hex())),
        "minCohort", 10,
        "columns", Json.obj(
            "patient_id", "never",
            "age", "dimension",
            "sex", "dimension",
            "diagnosis", "dimension",
            "admission_date", "filter",
            "length_of_stay", "aggregate",
            "claim_cost", "aggregate"),
        "defaultColumnRule", "never",
        // No exact leaks: every statistic of a sensitive column is noised (discrete Laplace), each query spends epsilon 1
        // of 20, and claim costs and stays are clamped to these ranges before they are summed or averaged.
        "privacy", Json.obj(
            "epsilonPerQuery", PRIVACY_EPSILON_PER_QUERY,
            "epsilonTotal", epsilonTotal,
            "bounds", Json.obj("claim_cost", List.of(0, 50000), "length_of_stay", List.of(0, 60))),
        "approval", Json.obj("required", false))
        .encode();
  }

  private void step(String title) {
    step++;
    stepStarted = System.nanoTime();
    out.printf("[%d/%d] %s%n", step, steps, title);
  }

  /** Ends a step with what it did and how long this step alone took. */
  private void done(String summary) {
    out.printf("  ... %s%s(step took %.1f s)%n", summary, summary.isEmpty() ? "" : " ", (System.nanoTime() - stepStarted) / 1e9);
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  private static String indent(String block) {
    StringBuilder sb = new StringBuilder();
    block.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
    return sb.append('\n').toString();
  }
}

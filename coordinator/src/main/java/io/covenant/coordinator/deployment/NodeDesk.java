package io.covenant.coordinator.deployment;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.JobId;
import io.covenant.node.OrgNode;
import io.covenant.node.keyrelease.PublishedPolicies;
import io.covenant.storage.importing.CsvImport;
import io.covenant.storage.importing.ParquetImport;
import io.covenant.storage.importing.TabularImport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import io.covenant.tee.compute.ResultTable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.RootAllocator;

/**
 * An organisation's own desk at its node: the owner's actions (publish a dataset, put a policy in force, revoke it,
 * decide on a job) carried out inside the node process, which alone holds the keystore. Reached over a Unix-domain
 * socket in the node's folder ({@code node.sock}, owner-only), so whoever may act for the organisation is whoever may
 * read its folder — as with the keystore itself. It never listens on TCP.
 *
 * <p>Each action signs on the organisation's verified mirror of the log (appended through the coordinator) and stores
 * blocks through the coordinator's block API, then tells the coordinator through its API, which admits only what the
 * ledger shows the owner signed ({@link OwnerCatalogue#remote}). Wire format: one JSON object per connection,
 * {@code {"op": ...}}, answered by one JSON object, {@code {"ok": ...}} or {@code {"error": ...}}.
 */
public final class NodeDesk implements AutoCloseable {
  /** Fetches that overlap the node's own work (a result while the mirror syncs): one virtual thread each. */
  private static final java.util.concurrent.ExecutorService RESULT_FETCHES = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  public static final String SOCKET_NAME = "node.sock";
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final Path socket;
  private final ServerSocketChannel channel;
  private final DataOwner owner;
  private final OrgNode node;
  private final CoordinatorClient coordinator;
  private final Thread acceptor;

  private NodeDesk(Path socket, ServerSocketChannel channel, DataOwner owner, OrgNode node, CoordinatorClient coordinator) {
    this.socket = socket;
    this.channel = channel;
    this.owner = owner;
    this.node = node;
    this.coordinator = coordinator;
    this.acceptor = Thread.ofPlatform().daemon().name("covenant-node-desk").start(this::acceptLoop);
  }

  /** Opens the desk of {@code node}, acting through {@code coordinator} (the client of the coordinator's API, with the node's TLS). */
  public static NodeDesk open(OrgNode node, CoordinatorClient coordinator, Clock clock) {
    DataOwner owner = new DataOwner(node.keystore(), PublishedPolicies.in(node.config().orgDir().resolve("policies"), node.keystore().credentials().signingKey().suite()), node.ledger(), coordinator.blocks(),
        OwnerCatalogue.remote(coordinator), clock);
    Path socket = node.config().dataDir().toAbsolutePath().normalize().resolve(SOCKET_NAME);
    try {
      Files.deleteIfExists(socket);
      ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      ch.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      return new NodeDesk(socket, ch, owner, node, coordinator);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      throw new CovenantException("cannot open the node's desk at " + socket + " (" + e.getMessage() + "); use a shorter --data-dir path", e);
    }
  }

  public Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (channel.isOpen()) {
      try (SocketChannel c = channel.accept()) {
        Json.JObject answer;
        try {
          BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
          String line = in.readLine();
          if (line == null || line.length() > MAX_REQUEST_BYTES) throw new MalformedInputException("the desk expects one JSON request line");
          answer = Json.obj("ok", act(Json.parseObject(line)));
        } catch (CovenantException e) {
          answer = Json.obj("error", e.getMessage());
        } catch (RuntimeException e) {
          answer = Json.obj("error", "the node failed on the request (" + e.getClass().getSimpleName() + "); see the node's log");
          System.err.println("node desk: " + e);
        }
        OutputStream out = Channels.newOutputStream(c);
        out.write((answer.encode() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        if (!channel.isOpen()) return;
      }
    }
  }

  private Json act(Json.JObject r) {
    String op = r.string("op");
    return switch (op) {
      case "publish-file" -> {
        Path file = Path.of(r.string("file"));
        if (!Files.isRegularFile(file)) throw new CovenantException("no file at " + file + " on the node's host");
        TabularImport t = file.getFileName().toString().toLowerCase().endsWith(".parquet") ? ParquetImport.from(file) : CsvImport.from(file);
        try (RootAllocator allocator = new RootAllocator(); var batches = t.batches(allocator)) {
          yield dataset(owner.publish(r.string("name"), t.schema(), batches));
        }
      }
      case "publish-synthetic-claims" -> {
        try (RootAllocator allocator = new RootAllocator();
            var batches = SyntheticClaims.generate(allocator, r.number("seed"), (int) r.number("rows"), Double.parseDouble(r.string("costLevel")), 4096)) {
          yield dataset(owner.publish(r.string("name"), SyntheticClaims.SCHEMA, batches));
        }
      }
      case "publish-policy" -> {
        PolicyRecord p = owner.publishPolicy(r.string("policy"));
        yield Json.obj("dataset", p.dataset().toString(), "policy", p.policyId(), "hash", p.hash().hex());
      }
      case "revoke-policy" -> {
        PolicyRecord p = owner.revokePolicy(DatasetId.parse(r.string("dataset")), r.string("reason"));
        yield Json.obj("dataset", p.dataset().toString(), "policy", p.policyId(), "hash", p.hash().hex());
      }
      case "decide" -> {
        JobOutcome o = owner.decide(new JobId(r.string("job")), DatasetId.parse(r.string("dataset")), r.bool("approve"), r.string("note", ""));
        yield Json.obj("job", o.job().value(), "state", o.state().name(), "reasons", o.reasons());
      }
      case "submit" -> {
        OwnerCatalogue catalogue = OwnerCatalogue.remote(coordinator);
        List<DatasetVersion> datasets = r.array("datasets").stream().map(j -> ((Json.JString) j).value()).map(text -> {
          if (text.contains("@")) return DatasetVersion.parse(text);
          DatasetId id = DatasetId.parse(text);
          int latest = catalogue.latestVersion(id);
          if (latest == 0) throw new CovenantException("dataset " + id + " is not published at the coordinator; see its catalogue ('GET /api/datasets')");
          return new DatasetVersion(id, latest);
        }).toList();
        JobRequest request = new JobRequest(r.has("job") ? new JobId(r.string("job")) : JobId.random(), node.config().org(), datasets, Engine.parse(r.string("engine", "tee")), new Purpose(r.string("purpose")),
            r.has("computation") ? Computation.fromJson(r.object("computation")) : new Computation.SqlQuery(r.string("sql")));
        var o = coordinator.submit(request, node.keystore().credentials());
        yield Json.obj("job", o.job().value(), "state", o.state(), "reasons", o.reasons(), "resultHash", o.resultHash().orElse(null));
      }
      case "he-model" -> {
        double[] weights = r.array("weights").stream().mapToDouble(j -> {
          if (!(j instanceof Json.JNumber n)) throw new MalformedInputException("the model's weights are numbers");
          return n.value().doubleValue();
        }).toArray();
        double[] scales = new double[weights.length];
        if (r.has("featureScales")) {
          scales = r.array("featureScales").stream().mapToDouble(j -> {
            if (!(j instanceof Json.JNumber n)) throw new MalformedInputException("the model's feature scales are numbers, one per weight");
            return n.value().doubleValue();
          }).toArray();
        } else {
          java.util.Arrays.fill(scales, r.has("featureScale") ? r.decimal("featureScale").doubleValue() : 1);
        }
        Path file = node.heJobs().models().save(r.string("name"), weights, r.decimal("bias").doubleValue(), scales);
        yield Json.obj("model", r.string("name"), "weights", (long) weights.length, "file", file.toString());
      }
      case "he-open" -> {
        // An he result received by another route (a replica, an export): checked against the ledger exactly as one
        // fetched from the coordinator, then decrypted with this node's key of the job.
        Path file = Path.of(r.string("file"));
        if (!Files.isRegularFile(file)) throw new CovenantException("no file at " + file + " on the node's host");
        try {
          yield node.heJobs().open(new JobId(r.string("job")), Files.readAllBytes(file));
        } catch (IOException e) {
          throw new CovenantException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
      case "result" -> {
        JobId id = new JobId(r.string("job"));
        // The sealed bytes are fetched while the node brings its verified mirror up to date: the result is checked
        // against the job's entries as this node verified them (not a trail the coordinator serves), in one round trip.
        CompletableFuture<byte[]> stored = CompletableFuture.supplyAsync(() -> coordinator.storedResult(id), RESULT_FETCHES);
        node.ledger().sync();
        List<io.covenant.ledger.LedgerEntry> trail = node.ledger().entriesForJob(id);
        byte[] sealed = joined(stored);
        if (heJob(trail)) yield node.heJobs().open(id, sealed);
        ResultTable t = io.covenant.coordinator.job.CommittedResult.open(id, sealed, trail, node.keystore().credentials().encryptionKeys());
        // A benchmark's large result: opened and checked here all the same, but only its size crosses the desk.
        if (r.bool("rowsOnly", false)) yield Json.obj("columns", t.columns(), "rows", t.rows().size());
        List<Object> data = new java.util.ArrayList<>();
        for (List<Object> row : t.rows()) data.add(row.stream().map(v -> v == null ? null : String.valueOf(v)).toList());
        yield Json.obj("columns", t.columns(), "rows", t.rows().size(), "table", t.render(), "data", data);
      }
      case "audit" -> audit();
      case "rounds" -> {
        // A federated job's rounds as this node's verified mirror has them so far (names and hashes only): for a live view.
        node.ledger().sync();
        List<Object> rounds = new java.util.ArrayList<>();
        for (var e : node.ledger().entriesForJob(new JobId(r.string("job")))) {
          if (e.event().event() instanceof io.covenant.core.event.AuditEvent.FlRoundCompleted f) rounds.add(f.body());
          if (e.event().event() instanceof io.covenant.core.event.AuditEvent.KeyReleaseRefused k) {
            rounds.add(Json.obj("refused", k.dataset().toString(), "reason", k.reason(), "explanation", k.explanation()));
          }
        }
        yield Json.obj("rounds", rounds);
      }
      case "trail" -> {
        node.ledger().sync();
        var entries = node.ledger().entriesForJob(new JobId(r.string("job")));
        yield Json.obj("entries", entries.size(), "table", io.covenant.coordinator.demo.AuditTrail.render(entries));
      }
      default -> throw new MalformedInputException("the desk knows publish-file, publish-synthetic-claims, publish-policy, revoke-policy, decide, submit, "
          + "result, audit, trail, rounds, he-model and he-open, not '" + op + "'");
    };
  }

  /** Whether the job's entries (from this node's verified mirror) say it was submitted for the he engine. */
  private static boolean heJob(List<io.covenant.ledger.LedgerEntry> trail) {
    return trail.stream().anyMatch(e -> e.event().event() instanceof io.covenant.core.event.AuditEvent.JobSubmitted s && s.engine() == Engine.HE);
  }

  /** The fetched bytes, or the fetch's own failure (its message names what to do), not a wrapper around it. */
  private static byte[] joined(CompletableFuture<byte[]> fetch) {
    try {
      return fetch.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) throw cause;
      throw e;
    }
  }

  /**
   * Verifies this node's mirror of the log as an auditor does (an export checked by the offline verifier), then shows
   * the verifier catching a forger: in a copy of the export, the last RESULT_COMMITTED claims another result hash.
   */
  private Json audit() {
    try {
      Path export = Files.createTempFile(node.config().dataDir(), "audit-", ".jsonl");
      Path forged = Files.createTempFile(node.config().dataDir(), "audit-forged-", ".jsonl");
      try {
        node.ledger().sync();
        node.ledger().export(export);
        // The witnesses' latest cosigned checkpoint comes from the coordinator, but it carries the nodes' own
        // signatures: the verifier checks them against the consortium's witness keys and the quorum this node pins.
        Consortium consortium = Consortium.read(node.config().consortiumFile());
        List<io.covenant.ledger.CosignedCheckpoint> witnessed = witnessedUpTo(node.ledger().size(), consortium);
        LedgerExport mine = LedgerExport.read(export);
        AuditorTrust trust = consortium.witnesses().isEmpty() ? AuditorTrust.NONE.withLogKey(node.ledger().checkpoint().logKey())
            : AuditorTrust.NONE.withConsortium(consortium);
        VerificationReport report = LedgerVerifier.verify(new LedgerExport(mine.entries(), mine.checkpoint(), mine.history(), witnessed), trust);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(export));
        String tamper = null;
        for (int i = lines.size() - 1; i > 0 && tamper == null; i--) {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"resultHash\":\"([0-9a-f]{64})\"").matcher(lines.get(i));
          if (lines.get(i).contains("\"RESULT_COMMITTED\"") && m.find()) {
            String hash = m.group(1);
            String other = (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1);
            lines.set(i, lines.get(i).replace(hash, other));
            Files.write(forged, lines);
            VerificationReport caught = LedgerVerifier.verify(LedgerExport.read(forged), node.ledger().checkpoint().logKey());
            tamper = caught.ok() ? "NOT DETECTED" : "entry " + (i - 1) + " edited to claim result hash " + other.substring(0, 12) + "…: FAILED: "
                + caught.failure().orElseThrow().reason();
          }
        }
        return Json.obj("ok", report.ok(), "entries", report.entries(), "jobs", report.jobs(), "witnessed", report.witnessed(),
            "cosigners", report.cosigners(),
            "failure", report.failure().map(f -> f.reason()).orElse(null), "tamper", tamper);
      } finally {
        Files.deleteIfExists(export);
        Files.deleteIfExists(forged);
      }
    } catch (IOException e) {
      throw new CovenantException("cannot export the node's copy of the log for the audit: " + e.getMessage(), e);
    }
  }

  /**
   * The witnesses' latest cosigned checkpoint within the first {@code size} entries, waiting up to 20 s for their next
   * round to cover all of them (the coordinator asks the nodes every few seconds); what there is if it does not.
   */
  private List<io.covenant.ledger.CosignedCheckpoint> witnessedUpTo(long size, Consortium consortium) {
    if (consortium.witnesses().isEmpty()) return List.of();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    java.util.Optional<io.covenant.ledger.CosignedCheckpoint> w = coordinator.witnessedCheckpoint();
    while ((w.isEmpty() || w.get().checkpoint().treeSize() < size) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      w = coordinator.witnessedCheckpoint();
    }
    return w.filter(c -> c.checkpoint().treeSize() <= node.ledger().size()).map(List::of).orElse(List.of());
  }

  private static Json.JObject dataset(DatasetRecord d) {
    return Json.obj("dataset", d.version().toString(), "rows", d.rows(), "shards", d.shards(), "manifest", d.manifest().toString());
  }

  /** Sends one request to the desk in {@code nodeDir} and returns its {@code ok} part, or throws its error. */
  public static Json ask(Path nodeDir, Json.JObject request) {
    Path socket = nodeDir.toAbsolutePath().normalize().resolve(SOCKET_NAME);
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      OutputStream out = Channels.newOutputStream(c);
      out.write((request.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8)).readLine();
      if (line == null) throw new CovenantException("the node at " + nodeDir + " closed its desk without answering; see its log");
      Json.JObject answer = Json.parseObject(line);
      if (answer.has("error")) throw new CovenantException(answer.string("error"));
      return answer.members().get("ok");
    } catch (IOException e) {
      throw new CovenantException("no node answers at " + socket + " (" + e.getMessage() + "); start it with './covenant node --data-dir " + nodeDir + "'", e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // the socket file is removed on the next start anyway
    }
    acceptor.interrupt();
  }
}

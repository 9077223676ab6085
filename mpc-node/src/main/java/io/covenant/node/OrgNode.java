package io.covenant.node;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.ledger.LedgerRevocations;
import io.covenant.ledger.mirror.HttpLedgerSource;
import io.covenant.ledger.mirror.MirroredLedger;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.witness.Witness;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.node.partyjob.PartyJobService;
import io.covenant.storage.blockstore.HttpBlockstore;
import io.covenant.node.keyrelease.PublishedPolicies;
import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.node.keystore.OrgKeystore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One organisation's node, running: its keystore opened in this process only, its own verified mirror of the
 * consortium's log, and its key service answering enclaves over mutual TLS. The coordinator is reached for the log's
 * entries (which the mirror verifies) and to append the node's own signed events; it is trusted for liveness only.
 */
public final class OrgNode implements AutoCloseable {
  private final NodeConfig config;
  private final OrgKeystore keystore;
  private final MirroredLedger ledger;
  private final MutualTls tls;
  private final OrgNodeServer server;
  private final io.covenant.node.hejob.HeJobService heJobs;
  private final io.covenant.node.hejob.NodeSidecar sidecar;

  private OrgNode(NodeConfig config, OrgKeystore keystore, MirroredLedger ledger, MutualTls tls, OrgNodeServer server,
      io.covenant.node.hejob.HeJobService heJobs, io.covenant.node.hejob.NodeSidecar sidecar) {
    this.config = config;
    this.keystore = keystore;
    this.ledger = ledger;
    this.tls = tls;
    this.server = server;
    this.heJobs = heJobs;
    this.sidecar = sidecar;
  }

  /** Opens the node's folder (unlocking its keystore with {@code secret}, or the passphrase in the environment) and starts serving. */
  public static OrgNode start(NodeConfig config, Optional<KeystoreSecret> secret, PrintStream log, Clock clock) {
    if (!Files.isDirectory(config.orgDir())) {
      throw new CovenantException("no keystore for " + config.org() + " in " + config.orgDir() + "; check --data-dir, or enrol the organisation first "
          + "('./covenant org enrol " + config.org() + " --node-dir " + config.dataDir() + "')");
    }
    Consortium consortium = Consortium.read(config.consortiumFile());
    ConsortiumRoot root = consortium.root().orElseThrow(() -> new CovenantException(config.consortiumFile()
        + " pins no consortium root; a node speaks mutual TLS with consortium certificates only"));
    VerifyingKey logKey = consortium.logKey().orElseThrow(() -> new CovenantException(config.consortiumFile()
        + " names no log key; copy the consortium's consortium.json (with its log key) into the node's folder"));
    OrgKeystore keystore = secret.isPresent() ? OrgKeystore.open(config.orgDir(), config.org(), secret) : OrgKeystore.open(config.orgDir(), config.org());
    OrgCertificate certificate = readCertificate(config.certificateFile());
    RevocationView revocations = new RevocationView();
    MutualTls tls = MutualTls.of(config.org(), keystore.credentials().signingKey(), certificate, root, revocations::revoked, clock);
    HttpClient http = "https".equals(config.coordinatorApi().getScheme())
        ? MutualTlsHttp.client(tls, Duration.ofSeconds(10))
        : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    MirroredLedger ledger = new MirroredLedger(new HttpLedgerSource(http, config.coordinatorApi()), logKey, Optional.of(config.mirrorState()));
    revocations.ledger = new LedgerRevocations(ledger);
    if (ledger.organisation(config.org()).filter(r -> r.signingKey().equals(keystore.credentials().signingKey().verifyingKey())).isEmpty()) {
      ledger.close();
      throw new CovenantException(config.org() + " is not registered on the consortium's log under the key in " + config.orgDir()
          + ": enrol it first, or point --data-dir at the folder that holds its keys");
    }
    Map<String, VerifyingKey> trusted = config.trustedSimulationKey().map(k -> Map.of(AttestationEvidence.SIMULATED_PROVIDER, k)).orElse(Map.of());
    AttestationVerifier verifier = new AttestationVerifier(trusted, Duration.ofMinutes(5), clock);
    PublishedPolicies records = PublishedPolicies.in(config.orgDir().resolve("policies"), keystore.credentials().signingKey().suite());
    OwnerKeyService owner = new OwnerKeyService(keystore.credentials(), config.authoriser(), keystore.kek(), keystore::wrappedKey, records::byHash,
        ledger, verifier, clock);
    // The owner decides from its mirror brought up to the job: from the log update the coordinator stapled to the job,
    // or by a sync; and checks again against the log up to its own KEY_RELEASED before the key leaves.
    KeyService current = new io.covenant.node.keyrelease.CaughtUpKeyService(ledger, owner);
    Optional<java.util.function.Function<io.covenant.ledger.SignedCheckpoint, io.covenant.ledger.Cosignature>> cosigner = Optional.empty();
    if (Witness.exists(config.witnessDir())) {
      Witness witness = Witness.open(config.witnessDir());
      cosigner = Optional.of(cp -> cosign(witness, ledger, cp));
    }
    // Multi-party jobs: the node reads its own sealed shards through the coordinator's block API (content-addressed,
    // checked against its own signed manifest) and computes in this process.
    PartyJobService parties = new PartyJobService(keystore.credentials(), config.authoriser(), owner, ledger, ledger::sync, keystore.kek(), keystore::wrappedKey,
        new HttpBlockstore(http, config.coordinatorApi()), tls, config.listen().getAddress(), Duration.ofSeconds(30), clock,
        Optional.of(config.intersectionsDir()));
    // Homomorphic-encryption jobs: the node's own SEAL sidecar (started on the first he job) computes on its own data,
    // and holds the secret keys of the jobs this organisation consumes.
    var blocks = new HttpBlockstore(http, config.coordinatorApi());
    var sidecar = new io.covenant.node.hejob.NodeSidecar("node-" + config.org().value());
    var heJobs = new io.covenant.node.hejob.HeJobService(keystore.credentials(), config.authoriser(), owner, ledger, ledger::sync,
        new io.covenant.node.ownjob.OwnShards(keystore.credentials(), keystore.kek(), keystore::wrappedKey, blocks),
        new io.covenant.node.hejob.HeConsumerModels(config.orgDir().resolve("he-models")), sidecar, clock);
    // Federated jobs: the node trains on its own rows and sends masked updates to the aggregator at its coordinator's host.
    var flJobs = new io.covenant.node.fljob.FlJobService(keystore.credentials(), config.authoriser(), owner, ledger, ledger::sync, keystore.kek(),
        keystore::wrappedKey, blocks, tls, config.coordinatorApi().getHost(), Duration.ofSeconds(120), clock);
    OrgNodeServer server = OrgNodeServer.start(config.listen(), tls, current, cosigner, Optional.of(parties),
        java.util.List.of(new io.covenant.node.hejob.HeJobRoutes(heJobs), new io.covenant.node.fljob.FlJobRoutes(flJobs)), log, clock);
    return new OrgNode(config, keystore, ledger, tls, server, heJobs, sidecar);
  }

  /**
   * Cosigns {@code cp} only for a tree this node verified itself: it syncs its mirror, requires the checkpoint's root to
   * be the root of its own first {@code treeSize} entries, and hands its witness the consistency proof from its own
   * tree, so the witness's rollback and fork checks (RFC 9162) run against what this node saw, not what it is told.
   */
  static io.covenant.ledger.Cosignature cosign(Witness witness, MirroredLedger ledger, io.covenant.ledger.SignedCheckpoint cp) {
    ledger.sync();
    if (cp.treeSize() > ledger.size()) {
      throw new CovenantException("the checkpoint covers " + cp.treeSize() + " entries but the log this node verified holds " + ledger.size()
          + ": the operator signed entries it does not serve");
    }
    long from = Math.min(witness.latestSize(), cp.treeSize());
    io.covenant.ledger.ConsistencyProof own = ledger.proveConsistency(from, cp.treeSize());
    io.covenant.ledger.SignedCheckpoint mine = ledger.checkpoint();
    if (cp.treeSize() == mine.treeSize() && !cp.rootHash().equals(mine.rootHash())) {
      throw new CovenantException("the checkpoint's root is not the root of the " + cp.treeSize() + " entries this node verified: a fork");
    }
    if (cp.treeSize() < mine.treeSize() && !ledger.proveConsistency(cp.treeSize(), mine.treeSize()).verify(cp.rootHash(), mine.rootHash())) {
      throw new CovenantException("the checkpoint of " + cp.treeSize() + " entries is not a prefix of the log this node verified: a fork");
    }
    return witness.cosign(cp, witness.latestSize() <= cp.treeSize() ? own : new io.covenant.ledger.ConsistencyProof(witness.latestSize(), cp.treeSize(), java.util.List.of()));
  }

  private static OrgCertificate readCertificate(Path file) {
    try {
      return OrgCertificate.fromPem(Files.readString(file));
    } catch (IOException e) {
      throw new CovenantException("cannot read the organisation's certificate " + file + " (" + e.getMessage() + "); enrolment writes it there", e);
    }
  }

  /** Certificates the verified log revoked; none until the mirror exists (the node's own first handshakes come before it). */
  private static final class RevocationView {
    volatile LedgerRevocations ledger;

    boolean revoked(Digest certificate) {
      LedgerRevocations l = ledger;
      return l != null && l.certificateRevoked(certificate);
    }
  }

  public URI uri() {
    return server.uri();
  }

  public MirroredLedger ledger() {
    return ledger;
  }

  public OrgKeystore keystore() {
    return keystore;
  }

  public MutualTls tls() {
    return tls;
  }

  public NodeConfig config() {
    return config;
  }

  /** This organisation's part in he jobs (its consumer keys, its models); the desk opens he results through it. */
  public io.covenant.node.hejob.HeJobService heJobs() {
    return heJobs;
  }

  /** The node's SEAL sidecar's process id, or -1 before the first he job (for operators and fault-injection tests). */
  public long heSidecarPid() {
    return sidecar.pid();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      try {
        heJobs.close();
        sidecar.close();
      } finally {
        ledger.close();
      }
    }
  }
}

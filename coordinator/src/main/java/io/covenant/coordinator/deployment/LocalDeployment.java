package io.covenant.coordinator.deployment;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.dispatch.ComputeEngine;
import io.covenant.coordinator.dispatch.RemoteMpcEngine;
import io.covenant.coordinator.dispatch.RemoteTeeEngine;
import io.covenant.coordinator.dispatch.TeeComputeEngine;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.identity.MutualTls;
import io.covenant.node.keystore.OrgKeystore;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.coordinator.identity.UnknownOrganisationException;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.Ledger;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.verify.Consortium;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.witness.CosigningRound;
import io.covenant.ledger.witness.Witness;
import java.util.ArrayList;
import java.util.Optional;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import io.covenant.tee.compute.TeeWorker;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.node.keyrelease.PublishedPolicies;
import io.covenant.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every component on one machine, on embedded defaults: the embedded ledger, the local blockstore, the coordinator
 * database, a TEE worker with the simulation attestation provider, and each organisation's own keystore and key
 * service. In production each organisation runs its key service on its own host; here they share a process, but each
 * reads only its own keystore folder, and the coordinator reads none.
 *
 * <p>Layout of the data directory: {@code ledger/}, {@code blocks/}, {@code coordinator/}, {@code tee-worker/},
 * {@code orgs/<org>/} (with {@code orgs/<org>/witness/} when the organisation witnesses the log), and
 * {@code consortium.json} (the witnesses and quorum, once formed), and {@code coordinator-database} when the
 * coordinator's database is on a PostgreSQL server (see {@link DatabaseSpec}).
 */
public final class LocalDeployment implements AutoCloseable {
  public static final OrgId OPERATOR = OrgId.of("covenant-operator");
  public static final String CONSORTIUM_FILE = "consortium.json";

  private final Path dataDir;
  private final Clock clock;
  private final Map<OrgId, OrgKeystore> keystores;
  private final Map<OrgId, KeyService> keyServices;
  private final Ledger ledger;
  private final Blockstore blockstore;
  private final CoordinatorStore store;
  private final SimulatedAttestationProvider attestation;
  private final AttestationVerifier verifier;
  private final JobCoordinator coordinator;
  private final TeeComputeEngine tee;
  /** The vehicle scenario's HE route on the embedded deployment (null with node processes, whose nodes run he jobs). */
  private final io.covenant.coordinator.vehicles.UbiHeEngine ubiHe;
  /** The consortium's CA, when the command that opened this deployment unlocked it (enrolment). */
  private final Optional<CertificateAuthority> authority;
  /** False for a {@link #borrowed()} view: closing it leaves the components open for their owner. */
  private final boolean ownsComponents;
  /** The certificates the ledger revoked, for every TLS handshake this deployment makes. */
  private final io.covenant.ledger.LedgerRevocations revocations;
  /** Present when the worker and the owners' nodes are processes of their own: this coordinator then holds no key. */
  private final Optional<ProcessTopology> topology;
  /** The coordinator's own SEAL sidecar for the he engine's additions (no secret key); started on first use. */
  private final io.covenant.node.hejob.NodeSidecar heSidecar = new io.covenant.node.hejob.NodeSidecar("coordinator");
  /** The consortium's crypto suite (its root's): every organisation's keys are made under it. */
  private final CryptoSuite suite;

  private LocalDeployment(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledgerSpec, DatabaseSpec database, Clock clock, boolean mayCreate) {
    this(dataDir, blocks, ledgerSpec, database, clock, mayCreate, Optional.empty(), Optional.empty());
  }

  private LocalDeployment(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledgerSpec, DatabaseSpec database, Clock clock, boolean mayCreate,
      Optional<CertificateAuthority> authority) {
    this(dataDir, blocks, ledgerSpec, database, clock, mayCreate, authority, Optional.empty());
  }

  private LocalDeployment(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledgerSpec, DatabaseSpec database, Clock clock, boolean mayCreate,
      Optional<CertificateAuthority> authority, Optional<ProcessTopology> topology) {
    this.dataDir = dataDir;
    this.topology = topology;
    this.authority = authority;
    this.clock = clock;
    this.keystores = new ConcurrentHashMap<>();
    this.keyServices = new ConcurrentHashMap<>();
    if (!mayCreate) requireExisting(dataDir);
    database.checkAgainst(dataDir);
    // A database server is reached before anything is created, so a wrong password or a server that is down leaves no
    // half-made data directory behind; the embedded database lives in the directory and opens after it exists.
    CoordinatorStore server = database.embedded() ? null : database.open(dataDir);
    if (server != null && !OrgKeystore.exists(orgDir(OPERATOR)) && server.deploymentKey().isPresent()) {
      server.close();
      throw new CovenantException("the coordinator database " + database + " already belongs to another deployment; a new data directory "
          + "needs a database of its own (createdb), or pass the --data-dir of the deployment it belongs to");
    }
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      if (server != null) server.close();
      throw new CovenantException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    // The consortium's crypto suite is its pinned root's (ca init --suite); the operator's keys, and so the log's, follow it.
    this.suite = consortium().map(Consortium::suite).orElse(CryptoSuite.INTL);
    OrgKeystore operator = OrgKeystore.openOrCreate(orgDir(OPERATOR), OPERATOR, suite);
    if (operator.credentials().signingKey().suite() != suite) {
      throw new CovenantException("the operator's keys in " + orgDir(OPERATOR) + " are " + operator.credentials().signingKey().suite().id()
          + " keys but the consortium pinned in " + consortiumFile() + " runs on " + suite.id() + "; a consortium never mixes suites: use a new data directory");
    }
    keystores.put(OPERATOR, operator);
    Ledger openedLedger;
    try {
      openedLedger = ledgerSpec.open(dataDir.resolve("ledger"), operator.credentials().signingKey());
    } catch (RuntimeException e) {
      if (server != null) server.close();
      throw e;
    }
    this.ledger = openedLedger;
    this.revocations = new io.covenant.ledger.LedgerRevocations(openedLedger);
    CoordinatorStore opened = server;
    try {
      checkAgainstWitnesses();
      this.blockstore = blocks.open(dataDir);
      if (opened == null) opened = database.open(dataDir);
      opened.bindToDeployment(operator.credentials().signingKey().verifyingKey().hex(), "the deployment in " + dataDir);
      database.recordIn(dataDir);
    } catch (RuntimeException e) {
      if (opened != null) opened.close();
      ledger.close();
      throw e;
    }
    this.store = opened;
    if (topology.isPresent()) {
      // The worker and the owners' key services run elsewhere: no simulation key, no verifier, no owner's anything here.
      this.attestation = null;
      this.verifier = null;
    } else {
      SigningKey simulationKey =
          OrgKeystore.openOrCreate(dataDir.resolve("tee-worker"), OrgId.of("tee-simulation")).credentials().signingKey();
      this.attestation = SimulatedAttestationProvider.create(simulationKey);
      // Simulated evidence is trusted only because this is the embedded demo deployment; owners' policies must still
      // opt in to simulation explicitly, and every record says "simulated".
      this.verifier = new AttestationVerifier(Map.of(attestation.name(), simulationKey.verifyingKey()), Duration.ofMinutes(5), clock);
    }
    if (ledger.organisation(OPERATOR).isEmpty()) {
      var creds = operator.credentials();
      AuditEvent.OrgRegistered reg = creds.registration("Covenant operator", AuditEvent.OrgRegistered.OPERATOR);
      try {
        reg = certified(reg, List.of(AuditEvent.OrgRegistered.OPERATOR), authority);
        ledger.append(SignedEvent.sign(reg, OPERATOR, creds.signingKey(), clock.instant()));
      } catch (RuntimeException e) {
        ledger.close();
        store.close();
        throw e;
      }
    }
    if (topology.isPresent()) {
      this.tee = null;
      this.ubiHe = null;
      ComputeEngine remote;
      try {
        remote = new RemoteTeeEngine(topology.get().worker(), operatorTls(), topology.get().nodes(), ledger, Optional.of(blockstore), Duration.ofMinutes(10));
      } catch (RuntimeException e) {
        store.close();
        ledger.close();
        throw e;
      }
      // Multi-party jobs run on the owners' nodes; the coordinator only schedules them.
      ComputeEngine mpc = new RemoteMpcEngine(operatorTls(), topology.get().nodes(), Duration.ofMinutes(10));
      // Federated jobs: the hospitals' nodes train on their own rows; the coordinator aggregates their masked updates.
      ComputeEngine fl = new io.covenant.coordinator.dispatch.RemoteFlEngine(operatorTls(), topology.get().nodes(), ledger, operator.credentials(), clock,
          Duration.ofMinutes(30));
      // Homomorphic-encryption jobs run on the consumer's and owners' nodes; the coordinator adds ciphertexts in its own
      // SEAL sidecar (started on the first aggregate), holding no secret key.
      ComputeEngine he = new io.covenant.coordinator.dispatch.RemoteHeEngine(operatorTls(), topology.get().nodes(), ledger, heSidecar, Duration.ofMinutes(10));
      this.coordinator = new JobCoordinator(store, ledger, blockstore, new PolicyEvaluator(), List.of(remote, mpc, fl, he), operator.credentials(), clock);
    } else {
      TeeWorker worker = new TeeWorker(attestation, blockstore);
      this.tee = new TeeComputeEngine(worker, workerMeasurement(), workerIsSimulated(), this::keyService, ledger);
      this.ubiHe = new io.covenant.coordinator.vehicles.UbiHeEngine(this);
      this.coordinator = new JobCoordinator(store, ledger, blockstore, new PolicyEvaluator(), List.of(tee, ubiHe), operator.credentials(), clock);
    }
    this.ownsComponents = true;
  }

  /**
   * Opens an existing deployment whose TEE worker and owners' nodes are processes of their own, at the addresses in
   * {@code topology}: this coordinator holds the operator's signing key and nothing else secret.
   */
  public static LocalDeployment openWithProcesses(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledger, DatabaseSpec database, ProcessTopology topology) {
    return new LocalDeployment(dataDir, blocks, ledger, database, Clock.systemUTC(), false, Optional.empty(), Optional.of(topology));
  }

  /**
   * Opens (creating if new) the coordinator's folder of a deployment whose worker and owners' nodes will be processes of
   * their own, with the consortium's CA at hand to enrol them ({@link NodeEnrolment}) before any process starts.
   */
  public static LocalDeployment installForProcesses(Path dataDir, CertificateAuthority authority) {
    return new LocalDeployment(dataDir, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, DatabaseSpec.EMBEDDED, Clock.systemUTC(), true, Optional.of(authority),
        Optional.of(ProcessTopology.NOT_YET_STARTED));
  }

  /** The topology this coordinator dispatches to, when its worker and owners' nodes are processes of their own. */
  public Optional<ProcessTopology> topology() {
    return topology;
  }

  /**
   * The operator's end of mutual TLS: its signing key and the certificate the consortium issued it, trusting members
   * of the pinned root that the ledger has not revoked.
   */
  public MutualTls operatorTls() {
    return tlsFor(OPERATOR);
  }

  /** {@code org}'s end of mutual TLS, from its keystore here and the certificate its ORG_REGISTERED carries. */
  public MutualTls tlsFor(OrgId org) {
    ConsortiumRoot root = pinnedRoot().orElseThrow(() -> new CovenantException("no consortium root is pinned in " + consortiumFile()
        + "; processes speak mutual TLS with consortium certificates, so start from './covenant ca init'"));
    OrgCertificate cert = requireOrganisation(org).certificate()
        .orElseThrow(() -> new CovenantException(org + " registered without a certificate; it cannot speak mutual TLS. Enrol it with './covenant org enrol'"));
    return MutualTls.of(org, keystore(org).credentials().signingKey(), cert, root, this::revoked, clock);
  }

  /** Whether the ledger holds an ORG_REVOKED for the certificate with this fingerprint (read incrementally). */
  public boolean revoked(io.covenant.core.crypto.Digest certificate) {
    return revocations.certificateRevoked(certificate);
  }

  private LocalDeployment(LocalDeployment owner) {
    this.dataDir = owner.dataDir;
    this.clock = owner.clock;
    this.keystores = owner.keystores;
    this.keyServices = owner.keyServices;
    this.ledger = owner.ledger;
    this.blockstore = owner.blockstore;
    this.store = owner.store;
    this.attestation = owner.attestation;
    this.verifier = owner.verifier;
    this.coordinator = owner.coordinator;
    this.tee = owner.tee;
    this.ubiHe = owner.ubiHe;
    this.authority = owner.authority;
    this.topology = owner.topology;
    this.revocations = owner.revocations;
    this.suite = owner.suite;
    this.ownsComponents = false;
  }

  /**
   * The same components under a handle whose {@link #close()} leaves them open: a running server lends its open
   * deployment to the CLI commands it answers, which close what they opened as usual.
   */
  public LocalDeployment borrowed() {
    return new LocalDeployment(this);
  }

  /** Opens the deployment in {@code dataDir}, creating the directory and the operator's identity if they are new. */
  public static LocalDeployment open(Path dataDir) {
    return new LocalDeployment(dataDir, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, DatabaseSpec.EMBEDDED, Clock.systemUTC(), true);
  }

  /** Opens the deployment in {@code dataDir}, creating the directory and the operator's identity if they are new. */
  public static LocalDeployment open(Path dataDir, BlockstoreSpec blocks) {
    return new LocalDeployment(dataDir, blocks, LedgerSpec.EMBEDDED, DatabaseSpec.EMBEDDED, Clock.systemUTC(), true);
  }

  /** Opens the deployment in {@code dataDir} on the given ledger, creating the directory and operator if they are new. */
  public static LocalDeployment open(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledger) {
    return open(dataDir, blocks, ledger, DatabaseSpec.EMBEDDED);
  }

  /** Opens the deployment in {@code dataDir} with its coordinator database in {@code database}, creating what is new. */
  public static LocalDeployment open(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledger, DatabaseSpec database) {
    return new LocalDeployment(dataDir, blocks, ledger, database, Clock.systemUTC(), true);
  }

  /**
   * Opens the deployment with the consortium's certificate authority at hand: where {@code consortium.json} pins a
   * root, the operator (on first open) and every organisation created through this handle are enrolled with it.
   */
  public static LocalDeployment open(
      Path dataDir, BlockstoreSpec blocks, LedgerSpec ledger, DatabaseSpec database, Optional<CertificateAuthority> authority) {
    return new LocalDeployment(dataDir, blocks, ledger, database, Clock.systemUTC(), true, authority);
  }

  // ---------------------------------------------------------------- identity

  /**
   * Pins the consortium's root in {@code dataDir}'s {@code consortium.json} before the deployment first opens. Refused
   * once a ledger exists: organisations registered without a certificate would no longer verify.
   */
  public static void pinRoot(Path dataDir, ConsortiumRoot root) {
    if (exists(dataDir)) {
      throw new CovenantException(dataDir + " already holds a ledger whose organisations registered without certificates; a consortium root is "
          + "pinned before the first registration. Start a new data directory with './covenant ca init --data-dir NEW'");
    }
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new CovenantException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    Path file = dataDir.resolve(CONSORTIUM_FILE);
    Optional<Consortium> existing = Files.exists(file) ? Optional.of(Consortium.read(file)) : Optional.empty();
    if (existing.flatMap(Consortium::root).filter(root::equals).isPresent()) return;
    if (existing.flatMap(Consortium::root).isPresent()) throw new CovenantException(file + " already pins another consortium root; a root is never replaced");
    existing.map(c -> c.withRoot(root)).orElseGet(() -> Consortium.ofRoot(Optional.empty(), root)).write(file);
  }

  /** The consortium's crypto suite: its pinned root's, the international suite when none is pinned. */
  public CryptoSuite suite() {
    return suite;
  }

  /** The consortium root this deployment's {@code consortium.json} pins, if any. */
  public Optional<ConsortiumRoot> pinnedRoot() {
    return consortium().flatMap(Consortium::root);
  }

  /**
   * {@code reg} with a certificate from {@code authority} for {@code roles}, if a root is pinned; unchanged if none
   * is. Refuses without the authority, or with one whose root is not the pinned root.
   */
  private AuditEvent.OrgRegistered certified(AuditEvent.OrgRegistered reg, List<String> roles, Optional<CertificateAuthority> authority) {
    if (checkAuthority(reg.org(), authority).isEmpty()) return reg;
    OrgCertificate cert = authority.get().issue(reg.org(), roles, reg.signingKey(), clock.instant(), CertificateAuthority.MEMBER_VALIDITY);
    return new AuditEvent.OrgRegistered(reg.org(), reg.displayName(), reg.role(), reg.signingKey(), reg.encryptionKey(), Optional.of(cert));
  }

  /** The pinned root, if any, after checking that {@code authority} is given exactly when one is pinned, and is its CA. */
  private Optional<ConsortiumRoot> checkAuthority(OrgId org, Optional<CertificateAuthority> authority) {
    Optional<ConsortiumRoot> root = pinnedRoot();
    if (root.isEmpty()) {
      if (authority.isPresent()) {
        throw new CovenantException("no consortium root is pinned in " + consortiumFile() + "; run './covenant ca init' on a new data directory first");
      }
      return root;
    }
    if (authority.isEmpty()) {
      throw new CovenantException(consortiumFile() + " pins the consortium root '" + root.get().name() + "', so " + org
          + " joins only with a certificate from the consortium's CA; unlock it (see './covenant org enrol --help')");
    }
    if (!authority.get().root().equals(root.get().certificate())) {
      throw new CovenantException("the CA given is '" + authority.get().root().subjectName() + "', not the consortium root '" + root.get().name()
          + "' pinned in " + consortiumFile() + "; give the consortium's own CA");
    }
    return root;
  }

  /**
   * Revokes {@code org}'s certificate from now on: the CA signs the revocation, the operator appends ORG_REVOKED.
   * Nothing {@code org} signs afterwards verifies.
   */
  public AuditEvent.OrgRevoked revokeOrganisation(OrgId org, String reason, CertificateAuthority authority) {
    ConsortiumRoot root = pinnedRoot().orElseThrow(() -> new CovenantException("no consortium root is pinned in " + consortiumFile() + "; there is no certificate to revoke"));
    if (!authority.root().equals(root.certificate())) throw new CovenantException("the CA given is not the consortium root pinned in " + consortiumFile());
    AuditEvent.OrgRegistered reg = requireOrganisation(org);
    OrgCertificate cert = reg.certificate().orElseThrow(() -> new CovenantException(org + " registered without a certificate; there is none to revoke"));
    if (reason == null || reason.isBlank()) throw new CovenantException("say why " + org + " is revoked (--reason)");
    var ev = new AuditEvent.OrgRevoked(org, cert.fingerprint(), reason,
        authority.sign(ConsortiumRoot.revocationStatement(org, cert.fingerprint(), reason)));
    OrgCredentials op = keystore(OPERATOR).credentials();
    ledger.append(SignedEvent.sign(ev, OPERATOR, op.signingKey(), clock.instant()));
    return ev;
  }

  /**
   * Opens an existing deployment and refuses, naming the folder, if {@code dataDir} is not one: a mistyped
   * {@code --data-dir} must not create an empty deployment.
   */
  public static LocalDeployment openExisting(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledger) {
    return openExisting(dataDir, blocks, ledger, DatabaseSpec.EMBEDDED);
  }

  /** As {@link #openExisting(Path, BlockstoreSpec, LedgerSpec)}, with the coordinator database in {@code database}. */
  public static LocalDeployment openExisting(Path dataDir, BlockstoreSpec blocks, LedgerSpec ledger, DatabaseSpec database) {
    return new LocalDeployment(dataDir, blocks, ledger, database, Clock.systemUTC(), false);
  }

  // ---------------------------------------------------------------- witnesses

  /** The consortium configuration this deployment's witnesses were formed with ({@code consortium.json}), if any. */
  public Optional<Consortium> consortium() {
    Path f = consortiumFile();
    return Files.exists(f) ? Optional.of(Consortium.read(f)) : Optional.empty();
  }

  public Path consortiumFile() {
    return dataDir.resolve(CONSORTIUM_FILE);
  }

  /**
   * Makes each of {@code orgs} a witness of this deployment's log, with a witness key of its own kept in its own
   * folder ({@code orgs/<org>/witness/}), and writes {@code consortium.json} naming them with {@code quorum}. In the
   * embedded deployment the witnesses run in this process; an organisation's own node takes this role later.
   * Forming the same consortium again changes nothing.
   */
  public Consortium formConsortium(List<OrgId> orgs, int quorum) {
    VerifyingKey logKey = ledger.checkpoint().logKey();
    List<Consortium.Member> members = new ArrayList<>();
    for (OrgId org : orgs) {
      Path dir = witnessDir(org);
      Witness w = Witness.exists(dir) ? Witness.open(dir) : Witness.create(dir, org.value(), logKey);
      members.add(new Consortium.Member(w.name(), w.publicKey()));
    }
    Consortium c = new Consortium(Optional.of(logKey), quorum, members, consortium().flatMap(Consortium::root));
    if (!consortium().map(c::equals).orElse(false)) c.write(consortiumFile());
    return c;
  }

  /**
   * Names the organisations' nodes as the witnesses of this log, with {@code quorum}, in {@code consortium.json}: the
   * processes deployment, where each node keeps its own witness key and cosigns only a tree it verified itself.
   */
  public Consortium useRemoteWitnesses(List<Consortium.Member> members, int quorum) {
    VerifyingKey logKey = ledger.checkpoint().logKey();
    Consortium c = new Consortium(Optional.of(logKey), quorum, members, consortium().flatMap(Consortium::root));
    c.write(consortiumFile());
    return c;
  }

  /**
   * The operator's mutual-TLS client to the witnesses' nodes, made at the first cosigning round and kept with its
   * connections: a round every few seconds used to build a TLS context and shake hands with every node anew, which
   * took CPU from the jobs running meanwhile. Like the dispatchers' clients, it holds the certificate of the start.
   */
  private java.net.http.HttpClient witnessClient;

  private synchronized java.net.http.HttpClient witnessClient() {
    if (witnessClient == null) witnessClient = io.covenant.core.identity.MutualTlsHttp.client(operatorTls(), Duration.ofSeconds(10));
    return witnessClient;
  }

  /**
   * Processes deployment: asks every witness of {@code consortium.json} that has a node in the topology to cosign the
   * ledger's current checkpoint over mutual TLS, and records what they cosigned in the ledger directory. A node that
   * is down or refuses is named in the outcome; the round never fails the coordinator.
   */
  public CosigningRound.Outcome cosignRemotely() {
    ProcessTopology t = topology.orElseThrow(() -> new CovenantException("remote witnesses exist only in the processes deployment"));
    SignedCheckpoint cp = ledger.checkpoint();
    var http = witnessClient();
    List<io.covenant.ledger.Cosignature> got = new ArrayList<>();
    Map<String, String> refusals = new java.util.LinkedHashMap<>();
    for (Consortium.Member m : consortium().map(Consortium::witnesses).orElse(List.of())) {
      java.net.URI node = t.nodes().get(OrgId.of(m.name()));
      if (node == null) {
        refusals.put(m.name(), "no node address for witness " + m.name() + " in the topology");
        continue;
      }
      try {
        var req = java.net.http.HttpRequest.newBuilder(node.resolve(io.covenant.node.OrgNodeServer.COSIGN)).timeout(Duration.ofSeconds(30))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(io.covenant.core.codec.Json.obj("checkpoint", cp.toJson()).encode())).build();
        var r = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
        var body = io.covenant.core.codec.Json.parseObject(r.body());
        if (r.statusCode() != 200) {
          refusals.put(m.name(), body.string("error", "answered " + r.statusCode()));
          continue;
        }
        var cosig = io.covenant.ledger.Cosignature.fromJson(body);
        if (!cosig.witness().equals(m.name()) || !cosig.witnessKey().equals(m.key()) || !cosig.verifies(cp)) {
          refusals.put(m.name(), "its answer is not a valid cosignature by its listed key");
          continue;
        }
        got.add(cosig);
      } catch (java.io.IOException | RuntimeException e) {
        // A refused connection carries no message: the exception's kind says what happened.
        refusals.put(m.name(), "its node could not be reached (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    io.covenant.ledger.CosignedCheckpoint cosigned = new io.covenant.ledger.CosignedCheckpoint(cp, got);
    if (!got.isEmpty()) CosigningRound.record(ledgerDir(), cosigned);
    return new CosigningRound.Outcome(cosigned, refusals);
  }

  /** The witnesses of the consortium that run in this deployment (those with a folder under {@code orgs/}). */
  public List<Witness> localWitnesses() {
    List<Witness> out = new ArrayList<>();
    for (Consortium.Member m : consortium().map(Consortium::witnesses).orElse(List.of())) {
      Path dir = witnessDir(OrgId.of(m.name()));
      if (Witness.exists(dir)) out.add(Witness.open(dir));
    }
    return out;
  }

  /**
   * Signs a checkpoint at the ledger's current size and asks every local witness to cosign it (each checks the
   * consistency proof from what it cosigned last); records what they cosigned in the ledger directory.
   */
  public CosigningRound.Outcome cosignCheckpoint() {
    return CosigningRound.run(ledger, localWitnesses(), ledgerDir());
  }

  private Path witnessDir(OrgId org) {
    return dataDir.resolve("orgs").resolve(org.value()).resolve("witness");
  }

  /**
   * Refuses a log that lost entries or was rewritten since a local witness cosigned it: the witness's latest
   * checkpoint must be a prefix of the log (RFC 9162 consistency proof). The ledger already refused a tail that fails
   * its signatures; this catches what the log's own files can no longer show (entries cut off together with their
   * checkpoints).
   */
  private void checkAgainstWitnesses() {
    if (!Files.exists(consortiumFile())) return;
    SignedCheckpoint now = ledger.checkpoint();
    for (Witness w : localWitnesses()) {
      Optional<SignedCheckpoint> seen = w.latest();
      if (seen.isEmpty()) continue;
      SignedCheckpoint cp = seen.get();
      if (cp.treeSize() > now.treeSize()) {
        throw new IntegrityException("the ledger in " + ledgerDir() + " holds " + now.treeSize() + " entries, but witness " + w.name() + " cosigned "
            + cp.treeSize() + " at " + cp.at() + ": entries " + now.treeSize() + " to " + (cp.treeSize() - 1)
            + " were removed (a rollback); the coordinator will not open it. Restore the ledger from a backup");
      }
      if (!ledger.proveConsistency(cp.treeSize(), now.treeSize()).verify(cp.rootHash(), now.rootHash())) {
        throw new IntegrityException("the first " + cp.treeSize() + " entries of the ledger in " + ledgerDir() + " are not those witness " + w.name()
            + " cosigned at " + cp.at() + ": the log was rewritten (a fork); the coordinator will not open it. Audit it with 'covenant verify' and restore it from a backup");
      }
    }
  }

  /**
   * Opens an existing deployment and refuses, naming the folder, if {@code dataDir} is not one: a mistyped
   * {@code --data-dir} must not create an empty deployment.
   */
  public static LocalDeployment openExisting(Path dataDir, BlockstoreSpec blocks) {
    return openExisting(dataDir, blocks, LedgerSpec.EMBEDDED);
  }

  /** Whether {@code dataDir} holds a deployment (its ledger folder is the mark). */
  public static boolean exists(Path dataDir) {
    return Files.isDirectory(dataDir.resolve("ledger"));
  }

  private static void requireExisting(Path dataDir) {
    if (!Files.exists(dataDir)) {
      throw new CovenantException("no data directory at " + dataDir + "; check --data-dir, or create one with "
          + "'./covenant org create ORG --role owner --data-dir " + dataDir + "' (or './covenant demo')");
    }
    if (!exists(dataDir)) {
      throw new CovenantException(dataDir + " is not a Covenant data directory (it has no ledger/ folder); check --data-dir");
    }
  }

  /**
   * The launch measurement of the TEE worker this deployment runs: the value a policy's {@code tee.measurements} must
   * list, and the one every owner's key service compares with the attested evidence. Here the worker runs on the
   * simulation provider, so the value is the SHA-384 of the tee-worker's own classes, and a policy must also set
   * {@code tee.allowSimulated}.
   */
  public static io.covenant.core.id.Measurement workerMeasurement() {
    return SimulatedAttestationProvider.codeMeasurement();
  }

  /** Whether the worker's attestation is simulated (always, in this embedded deployment). */
  public static boolean workerIsSimulated() {
    return true;
  }

  private Path orgDir(OrgId org) {
    return dataDir.resolve("orgs").resolve(org.value());
  }

  /**
   * An organisation's own keystore. Refuses an organisation that was never created with {@link #createOrganisation},
   * suggesting the closest one that was: a typo never gets keys.
   */
  public OrgKeystore keystore(OrgId org) {
    return keystores.computeIfAbsent(org, o -> {
      if (OrgKeystore.exists(orgDir(o))) return OrgKeystore.open(orgDir(o), o);
      if (ledger.organisation(o).isPresent()) {
        throw new CovenantException(o + " is registered on the ledger, but its keystore is not in " + dataDir.resolve("orgs")
            + "; run the command on the machine that holds " + o + "'s keys");
      }
      throw new UnknownOrganisationException(o, knownOrganisations());
    });
  }

  /** Refuses an organisation that is not registered here, with the same suggestion as {@link #keystore}. */
  public AuditEvent.OrgRegistered requireOrganisation(OrgId org) {
    return ledger.organisation(org).orElseThrow(() -> new UnknownOrganisationException(org, knownOrganisations()));
  }

  /** The organisations a command may name: every registered one but the operator. */
  private List<OrgId> knownOrganisations() {
    return organisations().stream().map(AuditEvent.OrgRegistered::org).filter(x -> !x.equals(OPERATOR)).toList();
  }

  /** Every organisation registered on the ledger, the operator first, in the order they registered. */
  public List<AuditEvent.OrgRegistered> organisations() {
    List<AuditEvent.OrgRegistered> out = new ArrayList<>();
    long size = ledger.size();
    for (long from = 0; from < size; from += 1024) {
      for (var e : ledger.entries(from, Math.min(size, from + 1024))) {
        if (e.event().event() instanceof AuditEvent.OrgRegistered r) out.add(r);
      }
    }
    return out;
  }

  /**
   * Creates an organisation: fresh keys in its own keystore folder, and a self-signed ORG_REGISTERED on the ledger.
   * The only way an organisation comes to exist. Refuses a name that is already taken; if the ledger refuses the
   * registration, the fresh keystore is removed again, so a retry starts clean.
   */
  public AuditEvent.OrgRegistered createOrganisation(OrgId org, String displayName, Set<OrgRole> roles) {
    return createOrganisation(org, displayName, roles, authority);
  }

  /**
   * Creates (enrols) an organisation: as {@link #createOrganisation(OrgId, String, Set)}, and, where a consortium root
   * is pinned, with a certificate for its new signing key issued by {@code authority}, carried by its ORG_REGISTERED.
   */
  public AuditEvent.OrgRegistered createOrganisation(OrgId org, String displayName, Set<OrgRole> roles, Optional<CertificateAuthority> authority) {
    if (org.equals(OPERATOR)) throw new CovenantException(OPERATOR + " is the installation's own identity; choose another name");
    if (ledger.organisation(org).isPresent()) {
      throw new CovenantException("organisation " + org + " already exists here; see './covenant org list'");
    }
    if (OrgKeystore.exists(orgDir(org))) {
      throw new CovenantException("a keystore for " + org + " already exists at " + orgDir(org) + " but " + org
          + " is not registered on this ledger; restore the ledger, or move that folder away to start the organisation afresh");
    }
    String role = OrgRole.wireForm(roles);
    checkAuthority(org, authority); // before any key is made: a refused enrolment leaves nothing behind
    OrgKeystore ks = OrgKeystore.create(orgDir(org), org, suite);
    var creds = ks.credentials();
    try {
      var reg = certified(creds.registration(displayName, role), List.of(role.split(",")), authority);
      ledger.append(SignedEvent.sign(reg, org, creds.signingKey(), clock.instant()));
    } catch (RuntimeException e) {
      OrgKeystore.removeUnused(orgDir(org));
      throw e;
    }
    keystores.put(org, ks);
    return ledger.organisation(org).orElseThrow();
  }

  /**
   * The key service a data owner runs: it alone holds the owner's key-encryption key, and it takes each job's policy
   * from the owner's own records ({@link #publishedPolicies}) and the ledger, never from the coordinator's store.
   */
  public KeyService keyService(OrgId owner) {
    if (topology.isPresent()) {
      throw new CovenantException("this coordinator runs with the owners' nodes as processes of their own and holds no key service; "
          + owner + "'s node answers key requests itself");
    }
    return keyServices.computeIfAbsent(owner, o -> {
      OrgKeystore ks = keystore(o);
      PublishedPolicies records = publishedPolicies(o);
      return new OwnerKeyService(ks.credentials(), OPERATOR, ks.kek(), ks::wrappedKey,
          hash -> records.byHash(hash).or(() -> adoptPublishedBeforeRecords(o, records, hash)), ledger, verifier, clock);
    });
  }

  /**
   * Upgrade path for a data directory from before owners kept their own policy records: a policy {@code owner}
   * published then is in the coordinator's catalogue only. It is adopted into the owner's records if, and only if, its
   * text hashes to a POLICY_PUBLISHED that {@code owner} itself signed on the ledger, so the text is exactly what the
   * owner published and the catalogue cannot substitute another; a policy the owner never signed stays unknown.
   */
  private Optional<Policy> adoptPublishedBeforeRecords(OrgId owner, PublishedPolicies records, io.covenant.core.crypto.Digest hash) {
    Optional<Policy> text = store.policy(hash).map(r -> Policy.parse(r.json()))
        .filter(p -> p.hash(suite).equals(hash) && p.dataset().owner().equals(owner));
    if (text.isEmpty()) return Optional.empty();
    long size = ledger.size();
    for (long from = 0; from < size; from += 1024) {
      for (var e : ledger.entries(from, Math.min(size, from + 1024))) {
        if (e.event().actor().equals(owner) && e.event().event() instanceof AuditEvent.PolicyPublished p && p.policyHash().equals(hash)) {
          records.keep(text.get());
          return text;
        }
      }
    }
    return Optional.empty();
  }

  /** The owner's own copy of every policy it published, in its own folder ({@code orgs/<org>/policies/}). */
  public PublishedPolicies publishedPolicies(OrgId owner) {
    return PublishedPolicies.in(orgDir(owner).resolve("policies"), suite);
  }

  /**
   * The TEE engine the coordinator dispatches to: the worker and the owners' key services. Exposed so that tests can
   * play a coordinator that records its own decisions on the ledger and dispatches without the state machine's checks.
   */
  public TeeComputeEngine teeEngine() {
    if (tee == null) throw new CovenantException("the TEE worker of this deployment is a process of its own");
    return tee;
  }

  /** The vehicle scenario's HE route (the embedded deployment's he engine); absent with node processes. */
  public io.covenant.coordinator.vehicles.UbiHeEngine ubiHeEngine() {
    if (ubiHe == null) throw new CovenantException("this coordinator runs with the organisations' nodes as processes of their own; their nodes run he jobs");
    return ubiHe;
  }

  /** Acts as a data owner; the organisation must exist here (see {@link #keystore}). */
  public DataOwner owner(OrgId org) {
    return new DataOwner(keystore(org), publishedPolicies(org), ledger, blockstore, OwnerCatalogue.local(store, coordinator), clock);
  }

  /** Acts as a data consumer; the organisation must exist here (see {@link #keystore}). */
  public DataConsumer consumer(OrgId org) {
    return new DataConsumer(keystore(org).credentials(), ledger, coordinator, clock);
  }

  public Ledger ledger() {
    return ledger;
  }

  public Blockstore blockstore() {
    return blockstore;
  }

  public CoordinatorStore store() {
    return store;
  }

  public JobCoordinator coordinator() {
    return coordinator;
  }

  /**
   * A second coordinator on this deployment's ledger, blocks and worker but with its own {@code store} (its own
   * connection to the same database): what a second coordinator process on a shared PostgreSQL database does, for the
   * tests that race two of them. The caller closes {@code store}.
   */
  public JobCoordinator replicaCoordinator(CoordinatorStore store) {
    if (topology.isPresent()) throw new CovenantException("a replica coordinator is built only for the embedded deployment");
    TeeComputeEngine tee = new TeeComputeEngine(new TeeWorker(attestation, blockstore), workerMeasurement(), workerIsSimulated(), this::keyService, ledger);
    return new JobCoordinator(store, ledger, blockstore, new PolicyEvaluator(), List.of(tee), keystores.get(OPERATOR).credentials(), clock);
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path ledgerDir() {
    return dataDir.resolve("ledger");
  }

  @Override
  public void close() {
    if (!ownsComponents) return;
    synchronized (this) {
      if (witnessClient != null) witnessClient.shutdownNow();
    }
    try {
      heSidecar.close();
      if (ubiHe != null) ubiHe.close();
      store.close();
    } finally {
      ledger.close();
    }
  }
}

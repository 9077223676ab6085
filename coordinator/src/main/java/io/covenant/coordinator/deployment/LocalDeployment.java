package io.covenant.coordinator.deployment;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.dispatch.TeeComputeEngine;
import io.covenant.coordinator.identity.OrgKeystore;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.policy.Policy;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.tee.attestation.AttestationVerifier;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import io.covenant.tee.compute.TeeWorker;
import io.covenant.tee.keyrelease.KeyService;
import io.covenant.tee.keyrelease.OwnerKeyService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every component on one machine, on embedded defaults: the embedded ledger, the local blockstore, the coordinator
 * database, a TEE worker with the simulation attestation provider, and each organisation's own keystore and key
 * service. In production each organisation runs its key service on its own host; here they share a process, but each
 * reads only its own keystore folder, and the coordinator reads none.
 *
 * <p>Layout of the data directory: {@code ledger/}, {@code blocks/}, {@code coordinator/}, {@code tee-worker/},
 * {@code orgs/<org>/}.
 */
public final class LocalDeployment implements AutoCloseable {
  public static final OrgId OPERATOR = OrgId.of("covenant-operator");

  private final Path dataDir;
  private final Clock clock;
  private final Map<OrgId, OrgKeystore> keystores;
  private final Map<OrgId, KeyService> keyServices;
  private final EmbeddedLedger ledger;
  private final Blockstore blockstore;
  private final CoordinatorStore store;
  private final SimulatedAttestationProvider attestation;
  private final AttestationVerifier verifier;
  private final JobCoordinator coordinator;
  /** False for a {@link #borrowed()} view: closing it leaves the components open for their owner. */
  private final boolean ownsComponents;

  private LocalDeployment(Path dataDir, BlockstoreSpec blocks, Clock clock) {
    this.dataDir = dataDir;
    this.clock = clock;
    this.keystores = new ConcurrentHashMap<>();
    this.keyServices = new ConcurrentHashMap<>();
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new CovenantException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    OrgKeystore operator = keystore(OPERATOR);
    this.ledger = EmbeddedLedger.open(dataDir.resolve("ledger"), operator.credentials().signingKey());
    try {
      this.blockstore = blocks.open(dataDir);
      this.store = CoordinatorStore.open(dataDir.resolve("coordinator"));
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
    SigningKey simulationKey =
        OrgKeystore.openOrCreate(dataDir.resolve("tee-worker"), OrgId.of("tee-simulation")).credentials().signingKey();
    this.attestation = SimulatedAttestationProvider.create(simulationKey);
    // Simulated evidence is trusted only because this is the embedded demo deployment; owners' policies must still
    // opt in to simulation explicitly, and every record says "simulated".
    this.verifier = new AttestationVerifier(Map.of(attestation.name(), simulationKey.verifyingKey()), Duration.ofMinutes(5), clock);
    register(OPERATOR, "Covenant operator", AuditEvent.OrgRegistered.OPERATOR);
    TeeWorker worker = new TeeWorker(attestation, blockstore);
    TeeComputeEngine tee = new TeeComputeEngine(worker, SimulatedAttestationProvider.codeMeasurement(), this::keyService, ledger);
    this.coordinator = new JobCoordinator(store, ledger, blockstore, new PolicyEvaluator(), List.of(tee), operator.credentials(), clock);
    this.ownsComponents = true;
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
    this.ownsComponents = false;
  }

  /**
   * The same components under a handle whose {@link #close()} leaves them open: a running server lends its open
   * deployment to the CLI commands it answers, which close what they opened as usual.
   */
  public LocalDeployment borrowed() {
    return new LocalDeployment(this);
  }

  public static LocalDeployment open(Path dataDir) {
    return new LocalDeployment(dataDir, BlockstoreSpec.LOCAL, Clock.systemUTC());
  }

  public static LocalDeployment open(Path dataDir, BlockstoreSpec blocks) {
    return new LocalDeployment(dataDir, blocks, Clock.systemUTC());
  }

  /** An organisation's own keystore (created on first use). */
  public OrgKeystore keystore(OrgId org) {
    return keystores.computeIfAbsent(org, o -> OrgKeystore.openOrCreate(dataDir.resolve("orgs").resolve(o.value()), o));
  }

  /** Registers the organisation on the ledger with a self-signed ORG_REGISTERED, unless it already is. */
  public void register(OrgId org, String displayName, String role) {
    if (ledger.organisation(org).isPresent()) return;
    var creds = keystore(org).credentials();
    ledger.append(SignedEvent.sign(creds.registration(displayName, role), org, creds.signingKey(), clock.instant()));
  }

  /** The key service a data owner runs: it alone holds the owner's key-encryption key. */
  public KeyService keyService(OrgId owner) {
    return keyServices.computeIfAbsent(owner, o -> {
      OrgKeystore ks = keystore(o);
      return new OwnerKeyService(
          ks.credentials(), OPERATOR, ks.kek(), ks::wrappedKey,
          dataset -> store.currentPolicy(dataset).map(r -> Policy.parse(r.json())),
          ledger, verifier, clock);
    });
  }

  public DataOwner owner(OrgId org) {
    return new DataOwner(keystore(org), ledger, blockstore, store, coordinator, clock);
  }

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

  public Path dataDir() {
    return dataDir;
  }

  public Path ledgerDir() {
    return dataDir.resolve("ledger");
  }

  @Override
  public void close() {
    if (!ownsComponents) return;
    try {
      store.close();
    } finally {
      ledger.close();
    }
  }
}

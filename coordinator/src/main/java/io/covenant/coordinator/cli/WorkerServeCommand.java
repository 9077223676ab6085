package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.verify.Consortium;
import io.covenant.node.keystore.OrgKeystore;
import io.covenant.storage.blockstore.HttpBlockstore;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import io.covenant.tee.compute.TeeWorker;
import io.covenant.tee.service.WorkerServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the TEE worker as its own process. The coordinator's operator posts jobs to it over mutual TLS; the worker reads",
      "the sealed blocks from the coordinator's block store itself (each checked against its content address), asks each",
      "owner's node for its key directly, computes in the enclave, and returns only the result sealed to the consumer.",
      "This worker attests with the SIMULATION provider (no hardware isolation): its simulation key is printed at start",
      "so owners' nodes can choose to trust it, and every record it causes says simulated."
    })
final class WorkerServeCommand implements Callable<Integer> {
  @Option(names = "--org", defaultValue = "tee-worker", paramLabel = "ORG",
      description = "The worker's identity in the consortium, enrolled with role worker (default: ${DEFAULT-VALUE}).")
  String org;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "The worker's own folder: its keystore under orgs/ORG/, its certificate, consortium.json and its simulation key.")
  Path dataDir;

  @Option(names = "--coordinator", required = true, paramLabel = "URL", description = "The coordinator's API, e.g. https://127.0.0.1:8443/api.")
  URI coordinator;

  @Option(names = "--listen", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
      description = "Where to take jobs (default: ${DEFAULT-VALUE}; port 0 takes a free port and prints it).")
  String listen;

  @Override
  public Integer call() throws InterruptedException {
    OrgId id = new OrgId(org);
    Path orgDir = dataDir.resolve("orgs").resolve(id.value());
    if (!Files.isDirectory(orgDir)) throw new CovenantException("no keystore for " + id + " in " + orgDir + "; enrol the worker first (./covenant up does)");
    Consortium consortium = Consortium.read(dataDir.resolve("consortium.json"));
    ConsortiumRoot root = consortium.root().orElseThrow(() -> new CovenantException(dataDir.resolve("consortium.json") + " pins no consortium root"));
    OrgKeystore keystore = OrgKeystore.open(orgDir, id);
    OrgCertificate cert;
    try {
      cert = OrgCertificate.fromPem(Files.readString(orgDir.resolve("certificate.pem")));
    } catch (IOException e) {
      throw new CovenantException("cannot read the worker's certificate in " + orgDir + ": " + e.getMessage(), e);
    }
    Clock clock = Clock.systemUTC();
    // Revocations reach the worker through the nodes and the coordinator, which refuse a revoked worker's handshake.
    MutualTls tls = MutualTls.of(id, keystore.credentials().signingKey(), cert, root, d -> false, clock);
    var http = MutualTlsHttp.client(tls, Duration.ofSeconds(10));
    var simulation = OrgKeystore.openOrCreate(dataDir.resolve("simulation"), OrgId.of("tee-simulation")).credentials().signingKey();
    SimulatedAttestationProvider provider = SimulatedAttestationProvider.create(simulation);
    TeeWorker worker = new TeeWorker(provider, new HttpBlockstore(http, coordinator));
    WorkerServer server = WorkerServer.start(NodeCommand.address(listen), tls, LocalDeployment.OPERATOR, worker, LocalDeployment.workerMeasurement(),
        LocalDeployment.workerIsSimulated(), System.out, clock);
    System.out.println("covenant: TEE worker " + id + " listening at " + server.uri() + " (mutual TLS; SIMULATED attestation)");
    if (tls.suite().isNational()) System.out.println("covenant: transport: " + MutualTls.transportOf(tls.suite()));
    System.out.println("covenant: simulation key " + simulation.verifyingKey().hex());
    System.out.println("covenant: measurement " + LocalDeployment.workerMeasurement().hex());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}

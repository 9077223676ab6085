package io.covenant.ledger.bench;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.evm.AuditContract;
import io.covenant.ledger.evm.EvmAddress;
import io.covenant.ledger.evm.EvmEndpoint;
import io.covenant.ledger.evm.EvmLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.web3j.crypto.Credentials;

/**
 * {@code ./covenant bench ledger}: throughput of the ledger on this machine.
 *
 * <ol>
 *   <li>the ceiling: Ed25519 verifications per second on all cores, since every append checks one signature (both
 *       through core's {@code VerifyingKey} and with the decoded public key cached, as the embedded ledger does);
 *   <li>durable signed appends per second to the embedded ledger, from many concurrent appenders so group commit
 *       shares each fsync;
 *   <li>inclusion proofs generated per second, and generated and verified per second;
 *   <li>optionally, events per second appended through the EVM backend to a running node (a fresh audit contract is
 *       deployed from a funded account you name).
 * </ol>
 *
 * Checks that every append landed and every proof verified; the numbers themselves are only reported.
 */
public final class LedgerBenchmark {
  private LedgerBenchmark() {}

  /**
   * @param events signed events appended to the embedded ledger
   * @param appenders concurrent appenders (virtual threads)
   * @param proofs inclusion proofs to generate (and, separately, to generate and verify)
   * @param evmUrl an EVM node's JSON-RPC URL, to also measure the EVM backend
   * @param evmFundedKey hex secp256k1 private key of a funded account on that node (deploys the contract and appends)
   * @param evmEvents events appended through the EVM backend
   * @param evmAppenders concurrent appenders for the EVM backend
   * @param workDir where the temporary ledger directory is made (deleted afterwards)
   */
  public record Options(
      int events, int appenders, int proofs, Optional<String> evmUrl, Optional<String> evmFundedKey, int evmEvents, int evmAppenders, Path workDir,
      CryptoSuite suite) {
    public Options(
        int events, int appenders, int proofs, Optional<String> evmUrl, Optional<String> evmFundedKey, int evmEvents, int evmAppenders, Path workDir) {
      this(events, appenders, proofs, evmUrl, evmFundedKey, evmEvents, evmAppenders, workDir, CryptoSuite.INTL);
    }

    public Options {
      if (suite == null) throw new MalformedInputException("the ledger benchmark needs a crypto suite");
      if (events < 1 || appenders < 1 || proofs < 1 || evmEvents < 1 || evmAppenders < 1) {
        throw new MalformedInputException("benchmark counts must be positive");
      }
      if (evmUrl.isPresent() != evmFundedKey.isPresent()) {
        throw new MalformedInputException("the EVM benchmark needs both the node URL and a funded account's private key");
      }
    }

    /** 200,000 events from 512 appenders, 100,000 proofs, no EVM; temporary files under java.io.tmpdir. */
    public static Options defaults() {
      return new Options(200_000, 512, 100_000, Optional.empty(), Optional.empty(), 500, 16, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Options withEvm(String url, String fundedPrivateKeyHex) {
      return new Options(events, appenders, proofs, Optional.of(url), Optional.of(fundedPrivateKeyHex), evmEvents, evmAppenders, workDir);
    }

    public Options withEvents(int n) {
      return new Options(n, appenders, proofs, evmUrl, evmFundedKey, evmEvents, evmAppenders, workDir);
    }

    public Options withAppenders(int n) {
      return new Options(events, n, proofs, evmUrl, evmFundedKey, evmEvents, evmAppenders, workDir);
    }

    /** The same benchmark with the organisation's and the log's keys (and so the signatures and the Merkle tree) of {@code s}. */
    public Options withSuite(CryptoSuite s) {
      return new Options(events, appenders, proofs, evmUrl, evmFundedKey, evmEvents, evmAppenders, workDir, s);
    }

    public Options withEvmEvents(int n, int concurrentAppenders) {
      return new Options(events, appenders, proofs, evmUrl, evmFundedKey, n, concurrentAppenders, workDir);
    }
  }

  /** Rates per second. */
  public record Result(
      int cores, double verificationsViaCore, double verificationsCachedKey, double embeddedAppends, double proofsGenerated,
      double proofsGeneratedAndVerified, OptionalDouble evmEvents) {}

  public static Result run(Options o, PrintStream progress) {
    int cores = Runtime.getRuntime().availableProcessors();
    progress.printf("ledger benchmark: %d cores, JDK %s (%s)%n", cores, System.getProperty("java.version"), System.getProperty("java.vm.name"));
    CryptoSuite suite = o.suite();
    String sig = suite.signatureAlgorithm();
    progress.printf("crypto suite: %s (%s signatures, %s Merkle tree)%n", suite.id(), sig, suite.hashAlgorithm());
    OrgCredentials owner = OrgCredentials.generate(OrgId.of("hospital-a"), suite);
    DatasetId claims = DatasetId.parse("hospital-a/claims");
    Instant t = Instant.parse("2026-11-21T10:00:00Z");

    long s0 = System.nanoTime();
    List<SignedEvent> events = IntStream.range(0, o.events()).parallel()
        .mapToObj(i -> SignedEvent.sign(new AuditEvent.PolicyPublished(claims, "p-" + i, suite.hash(Integer.toString(i).getBytes(StandardCharsets.UTF_8))),
            owner.org(), owner.signingKey(), t))
        .toList();
    rate(progress, sig + " signatures made (client side, all cores)", o.events(), s0);

    VerifyingKey key = owner.signingKey().verifyingKey();
    long c0 = System.nanoTime();
    long verified = events.parallelStream().filter(e -> e.verifiedBy(key)).count();
    double viaCore = rate(progress, sig + " verifications via core VerifyingKey (all cores)", verified, c0);
    if (verified != o.events()) throw new IllegalStateException((o.events() - verified) + " signatures did not verify");

    double viaCache;
    if (suite.isNational()) {
      // The embedded ledger verifies SM2 through VerifyingKey itself (no decoded-key cache): that rate is the ceiling.
      viaCache = viaCore;
      progress.printf("%s verifications via VerifyingKey are also the append ceiling (the ledger caches no decoded SM2 key)%n", sig);
    } else {
      VerifyingKey.Prepared cached = key.prepared();
      List<byte[]> statements = events.stream().map(e -> e.statement().canonicalBytes()).toList();
      long k0 = System.nanoTime();
      long verifiedCached = IntStream.range(0, events.size()).parallel()
          .filter(i -> cached.verify(statements.get(i), events.get(i).signature()))
          .count();
      viaCache = rate(progress, sig + " verifications, decoded public key cached (all cores): the append ceiling", verifiedCached, k0);
    }

    double appends;
    double generated;
    double generatedAndVerified;
    Path dir;
    try {
      dir = Files.createTempDirectory(o.workDir(), "ledger-bench");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary ledger directory in " + o.workDir(), e);
    }
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, suite.generateSigningKey())) {
      ledger.append(SignedEvent.sign(owner.registration("Hospital A", "data-owner"), owner.org(), owner.signingKey(), t));
      long a0 = System.nanoTime();
      appendConcurrently(ledger, events, o.appenders());
      appends = rate(progress, "durable signed appends, embedded (" + o.appenders() + " concurrent appenders, group commit, fsync)", o.events(), a0);
      if (ledger.size() != o.events() + 1L) throw new IllegalStateException("expected " + (o.events() + 1) + " entries, found " + ledger.size());

      SignedCheckpoint cp = ledger.checkpoint();
      long p0 = System.nanoTime();
      long sink = 0;
      for (int i = 0; i < o.proofs(); i++) sink += ledger.proveInclusion((i * 7919L) % cp.treeSize(), cp.treeSize()).path().size();
      generated = rate(progress, "inclusion proofs generated (tree of " + cp.treeSize() + ")", o.proofs(), p0);
      if (sink == 0) throw new IllegalStateException("empty proofs");

      List<LedgerEntry> sample = ledger.entries(0, Math.min(1000, cp.treeSize()));
      long v0 = System.nanoTime();
      int ok = 0;
      for (int i = 0; i < o.proofs(); i++) {
        LedgerEntry e = sample.get(i % sample.size());
        InclusionProof p = ledger.proveInclusion(e.index(), cp.treeSize());
        if (p.verify(e.leafHash(), cp.rootHash())) ok++;
      }
      generatedAndVerified = rate(progress, "inclusion proofs generated and verified", o.proofs(), v0);
      if (ok != o.proofs()) throw new IllegalStateException((o.proofs() - ok) + " proofs failed to verify");
    } finally {
      deleteTree(dir);
    }

    OptionalDouble evm = OptionalDouble.empty();
    if (o.evmUrl().isPresent()) evm = OptionalDouble.of(evm(o, owner, claims, t, progress));
    return new Result(cores, viaCore, viaCache, appends, generated, generatedAndVerified, evm);
  }

  private static double evm(Options o, OrgCredentials owner, DatasetId claims, Instant t, PrintStream progress) {
    EvmEndpoint endpoint = EvmEndpoint.of(o.evmUrl().orElseThrow());
    Credentials account = Credentials.create(o.evmFundedKey().orElseThrow());
    EvmAddress contract = AuditContract.deploy(endpoint, account);
    try (AuditContract c = AuditContract.at(endpoint, contract)) {
      c.addMember(account, owner.org(), EvmAddress.of(account));
    }
    List<SignedEvent> events = IntStream.range(0, o.evmEvents())
        .mapToObj(i -> SignedEvent.sign(new AuditEvent.PolicyPublished(claims, "evm-" + i, o.suite().hash(Integer.toString(i).getBytes(StandardCharsets.UTF_8))),
            owner.org(), owner.signingKey(), t))
        .toList();
    try (EvmLedger ledger = EvmLedger.open(endpoint, contract, SigningKey.generate(), Map.of(owner.org(), account))) {
      ledger.append(SignedEvent.sign(owner.registration("Hospital A", "data-owner"), owner.org(), owner.signingKey(), t));
      long e0 = System.nanoTime();
      appendConcurrently(ledger, events, o.evmAppenders());
      double r = rate(progress, "EVM backend: signed events appended and mined (" + o.evmAppenders() + " concurrent appenders, one org account, "
          + endpoint.rpcUrl() + ")", o.evmEvents(), e0);
      if (ledger.size() != o.evmEvents() + 1L) throw new IllegalStateException("expected " + (o.evmEvents() + 1) + " entries on chain, found " + ledger.size());
      long r0 = System.nanoTime();
      try (EvmLedger reader = EvmLedger.open(endpoint, contract, SigningKey.generate(), Map.of())) {
        rate(progress, "EVM backend: entries read back and checked from eth_getLogs", reader.size(), r0);
      }
      return r;
    }
  }

  private static void appendConcurrently(Ledger ledger, List<SignedEvent> events, int appenders) {
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < appenders; i++) {
        done.add(pool.submit(() -> {
          for (int k = next.getAndIncrement(); k < events.size(); k = next.getAndIncrement()) ledger.append(events.get(k));
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("an append failed: " + e.getCause(), e.getCause());
    }
  }

  private static double rate(PrintStream out, String what, long n, long startNanos) {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    double r = n / secs;
    out.printf("%-100s %,12.0f /s  (%,d in %.2f s)%n", what, r, n, secs);
    return r;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}

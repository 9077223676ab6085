package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.core.job.Computation;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.engine.ThreePartyRuntime;
import io.covenant.mpc.spdz.LinkNetworks;
import io.covenant.mpc.spdz.SpdzAggregateProgram;
import io.covenant.mpc.sql.OwnerPartials;
import io.covenant.mpc.sql.SealedShares;
import io.covenant.mpc.sql.SecureAggregateProgram;
import io.covenant.mpc.sql.SecureAggregateQuery;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.TlsPeerLinks;
import io.covenant.policy.OutputControls;
import io.covenant.policy.Policy;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code bench mpc --malicious}: the small computation the malicious-secure mode runs (a global count, sum and mean of
 * the demo hospitals' claims under the demo's policies) three ways in one run, on this machine: in plaintext over the
 * pooled rows, in the semi-honest engine (three parties, replicated shares, sealed to and opened by the consumer), and
 * in SPDZ with MASCOT preprocessing (the three hospitals and the insurer, the result opened toward the insurer only).
 * Both secure runs use mutual TLS 1.3 on loopback between parties on threads of this process, with a throwaway
 * certificate authority. One run each (the SPDZ run takes minutes); its figures include MASCOT's base OTs.
 */
final class MaliciousMpcBenchmark {
  static final String SQL = "SELECT COUNT(*) AS claims, SUM(claim_cost) AS total_cost, AVG(claim_cost) AS avg_claim_cost FROM claims";

  private MaliciousMpcBenchmark() {}

  record Row(String mode, String parties, String seconds, String ratio, String preprocessing, String bytes) {}

  static List<Row> run(int rowsPerHospital, PrintStream progress) {
    List<HospitalInsurerDemo.Hospital> hospitals = HospitalInsurerDemo.HOSPITALS;
    OutputControls controls = OutputControls.forPolicies(hospitals.stream().map(h -> Policy.parse(HospitalInsurerDemo.policyFor(h.org()))).toList());
    SecureAggregateQuery query = SecureAggregateQuery.compile(SQL, controls);
    List<OrgId> orgs = hospitals.stream().map(HospitalInsurerDemo.Hospital::org).toList();
    Committee committee = new Committee(orgs);
    List<OrgId> spdzParties = new ArrayList<>(new LinkedHashSet<>(orgs));
    spdzParties.add(HospitalInsurerDemo.INSURER);
    Map<OrgId, MutualTls> identities = identities(spdzParties);
    KeyEncryptionKey kek = KeyEncryptionKey.generate();
    try (BufferAllocator allocator = new RootAllocator()) {
      List<SyntheticClaims.Batches> batches = new ArrayList<>();
      List<VectorSchemaRoot> claims = new ArrayList<>();
      try {
        for (var h : hospitals) {
          int n = rowsPerHospital > 0 ? rowsPerHospital : h.rows();
          SyntheticClaims.Batches b = SyntheticClaims.generate(allocator, h.seed(), n, h.costLevel(), n);
          batches.add(b);
          claims.add(b.next());
        }
        long rows = claims.stream().mapToLong(VectorSchemaRoot::getRowCount).sum();
        List<long[]> contributions = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
          OwnerPartials own = new OwnerPartials(query, Optional.empty(), kek.subjectKey(DatasetId.parse(orgs.get(i).value() + "/claims")));
          own.add(claims.get(i), "claims");
          contributions.add(SecureAggregateProgram.contribution(query, own.totals(), query.noise(new SecureRandom())));
        }

        progress.println("bench mpc --malicious: plaintext over " + rows + " pooled rows...");
        double plain = Double.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
          long t0 = System.nanoTime();
          OwnerPartials pooled = new OwnerPartials(query, Optional.empty(), null);
          for (VectorSchemaRoot c : claims) pooled.add(c, "claims");
          long[] partials = pooled.totals();
          long[] measured = partials.clone();
          long[] noise = query.noise(new SecureRandom());
          for (int i = 0; i < measured.length; i++) measured[i] += noise[i];
          long[] kept = {partials[0] > 0 && measured[0] >= controls.minCohort() ? 1 : 0};
          for (int i = 0; i < measured.length; i++) measured[i] *= kept[0];
          query.release(kept, measured);
          plain = Math.min(plain, (System.nanoTime() - t0) / 1e9);
        }

        progress.println("bench mpc --malicious: semi-honest engine, three parties over mutual TLS...");
        HpkeKeyPair consumer = HpkeKeyPair.generate();
        double semi = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
          JobId job = JobId.random();
          long t0 = System.nanoTime();
          List<byte[]> parts = ThreePartyRuntime.overTlsLoopback(committee, identities, Duration.ofMinutes(2)).run(s -> SealedShares.seal(job, committee,
              s.self(), query.layout(), SecureAggregateProgram.run(s, query, contributions.get(s.self().index())), consumer.publicKey()));
          SealedShares.openTable(SealedShares.bundle(job, parts), consumer, job, new Computation.SqlQuery(SQL).hash(consumer.suite()));
          semi = Math.min(semi, (System.nanoTime() - t0) / 1e9);
        }

        progress.println("bench mpc --malicious: SPDZ with MASCOT preprocessing, four parties over mutual TLS (this takes minutes)...");
        JobId job = JobId.random();
        long t0 = System.nanoTime();
        List<SpdzAggregateProgram.Outcome> outcomes = spdz(job, spdzParties, orgs, query, contributions, identities);
        double malicious = (System.nanoTime() - t0) / 1e9;
        long triples = outcomes.stream().mapToLong(SpdzAggregateProgram.Outcome::triples).max().orElse(0);
        long bits = outcomes.stream().mapToLong(SpdzAggregateProgram.Outcome::randomBits).max().orElse(0);
        long bytes = outcomes.stream().mapToLong(SpdzAggregateProgram.Outcome::bytesSent).sum();
        if (outcomes.get(spdzParties.size() - 1).released().isEmpty()) throw new CovenantException("the SPDZ run released nothing toward the insurer");

        String what = String.format(Locale.ROOT, "%,d rows, 1 group", rows);
        return List.of(
            new Row("plaintext (pooled rows, this JVM)", "1", seconds(plain), "1x", "-", "-"),
            new Row("semi-honest: replicated sharing, " + what, "3", seconds(semi), ratio(semi / plain), "none", "-"),
            new Row("malicious: SPDZ + MASCOT, " + what, "4", seconds(malicious), ratio(malicious / plain) + " (" + ratio(malicious / semi) + " semi-honest)",
                triples + " triples, " + bits + " bits per party", String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)));
      } finally {
        batches.forEach(SyntheticClaims.Batches::close);
      }
    }
  }

  static String table(List<Row> rows) {
    TextTable t = TextTable.withHeaders("mode", "parties", "seconds", "vs plaintext", "preprocessing consumed", "bytes sent (all parties)");
    for (Row r : rows) t.row(r.mode(), r.parties(), r.seconds(), r.ratio(), r.preprocessing(), r.bytes());
    return t.render();
  }

  /** Every party links to every other over mutual TLS (dialling those before it, accepting those after), then runs SPDZ. */
  private static List<SpdzAggregateProgram.Outcome> spdz(JobId job, List<OrgId> parties, List<OrgId> owners, SecureAggregateQuery query,
      List<long[]> contributions, Map<OrgId, MutualTls> identities) {
    Duration timeout = Duration.ofMinutes(2);
    List<TlsPeerLinks.Listener> listeners = new ArrayList<>();
    for (OrgId p : parties) listeners.add(TlsPeerLinks.listen(identities.get(p), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), timeout));
    try {
      List<CompletableFuture<SpdzAggregateProgram.Outcome>> runs = new ArrayList<>();
      for (int i = 0; i < parties.size(); i++) {
        int self = i;
        runs.add(CompletableFuture.supplyAsync(() -> {
          Map<OrgId, PeerLink> links = new HashMap<>();
          try {
            for (int j = 0; j < self; j++) links.put(parties.get(j), TlsPeerLinks.connect(identities.get(parties.get(self)), listeners.get(j).address(),
                parties.get(j), job, timeout));
            var later = new LinkedHashSet<>(parties.subList(self + 1, parties.size()));
            if (!later.isEmpty()) links.putAll(listeners.get(self).acceptAll(job, later));
            try (LinkNetworks networks = new LinkNetworks(parties, parties.get(self), links)) {
              return SpdzAggregateProgram.run(networks, owners, parties.getLast(), query, self < owners.size() ? contributions.get(self) : null,
                  Duration.ofMinutes(30));
            }
          } finally {
            links.values().forEach(PeerLink::close);
          }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
      }
      return runs.stream().map(CompletableFuture::join).toList();
    } finally {
      listeners.forEach(TlsPeerLinks.Listener::close);
    }
  }

  private static Map<OrgId, MutualTls> identities(List<OrgId> orgs) {
    Instant now = Instant.now();
    CertificateAuthority ca = CertificateAuthority.create("bench mpc --malicious (throwaway)", now.minus(Duration.ofMinutes(5)), Duration.ofDays(1));
    Map<OrgId, MutualTls> out = new HashMap<>();
    for (OrgId org : orgs) {
      SigningKey key = SigningKey.generate();
      OrgCertificate cert = ca.issue(org, List.of("owner"), key.verifyingKey(), now.minus(Duration.ofMinutes(1)), Duration.ofHours(12));
      out.put(org, MutualTls.of(org, key, cert, new ConsortiumRoot(ca.root()), fingerprint -> false, Clock.systemUTC()));
    }
    return out;
  }

  private static String seconds(double s) {
    return s < 0.01 ? String.format(Locale.ROOT, "%.2f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%,.0fx", r);
  }
}

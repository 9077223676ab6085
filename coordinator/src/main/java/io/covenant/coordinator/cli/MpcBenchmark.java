package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.model.LogisticModel;
import io.covenant.mpc.model.SgdSchedule;
import io.covenant.mpc.model.VerticalLogisticRegression;
import io.covenant.mpc.protocol.GroupByAggregation;
import io.covenant.mpc.protocol.SecureComparison;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.ring.Ring64;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.InProcessNetwork;
import io.covenant.mpc.transport.MeteredChannel;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import io.covenant.mpc.transport.TcpPartyChannel;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The MPC engine against plaintext in the same JVM: secure 64-bit multiplications and comparisons per second, a GROUP
 * BY of a million rows, and vertical logistic regression (time, messages, bytes, accuracy). The three parties run as
 * threads of this process ("in-process parties"), linked by in-memory queues, by plaintext TCP connections on the
 * loopback interface, or by mutual TLS 1.3 connections on it (the transport between hosts), and share this machine's
 * cores: the figures are not those of three hosts. The TLS parties present certificates of a throwaway consortium
 * created for the run.
 *
 * <p>Besides wall-clock rates, each secure row reports the CPU time the three party threads spent, which does not
 * depend on what else the machine is running.
 */
final class MpcBenchmark {
  private MpcBenchmark() {}

  private static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-b"), OrgId.of("analyst-c"));
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long[] GROUP_KEYS = {1, 2, 3, 4};

  record Options(int vectorLength, int groupByRows, int lrRows, int lrFeatures, SgdSchedule schedule) {
    Options {
      if (vectorLength < 1 || groupByRows < 1 || lrRows < 2 || lrFeatures < 1) {
        throw new CovenantException("the vector length, GROUP BY rows, LR rows and features must be positive");
      }
    }
  }

  /** One line of the report; the secure figures come from the slowest party. */
  record Row(String transport, String measure, String secure, String plaintext, String ratio, String messages, String bytes, String cpu) {}

  enum Transport {
    IN_PROCESS("in-process parties, in-memory queues"),
    TCP_LOOPBACK("in-process parties, TCP loopback"),
    TLS_LOOPBACK("in-process parties, mutual TLS 1.3 loopback");

    final String label;

    Transport(String label) {
      this.label = label;
    }
  }

  /** What the busiest party saw during a timed section: wall seconds, its messages, everyone's bytes, all CPU time. */
  private record Sample(double seconds, long messages, long bytes, double cpuSeconds, Object value) {}

  private record Meter(long wallNanos, long messages, long bytes, long cpuNanos) {
    static Meter read(PartySession s) {
      MeteredChannel c = (MeteredChannel) s.channel();
      return new Meter(System.nanoTime(), c.messagesSent(), c.bytesSent(), THREADS.getCurrentThreadCpuTime());
    }

    Sample since(Meter start, Object value) {
      return new Sample((wallNanos - start.wallNanos) / 1e9, messages - start.messages, bytes - start.bytes, (cpuNanos - start.cpuNanos) / 1e9, value);
    }
  }

  static List<Row> run(Options o, PrintStream progress) {
    Options warmUp = new Options(Math.max(1, o.vectorLength() / 16), Math.max(1, o.groupByRows() / 16), Math.max(2, o.lrRows() / 16),
        o.lrFeatures(), o.schedule());
    progress.println("bench mpc: warming up the JIT on inputs 1/16 of the size (not reported)...");
    measure(warmUp, List.of(Transport.IN_PROCESS), new PrintStream(java.io.OutputStream.nullOutputStream()));
    return measure(o, List.of(Transport.values()), progress);
  }

  private static List<Row> measure(Options o, List<Transport> transports, PrintStream progress) {
    List<Row> rows = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(2026);
    int n = o.vectorLength();
    long[] x = r.longs(n).toArray();
    long[] y = r.longs(n).toArray();
    long[] xSmall = new long[n];
    long[] ySmall = new long[n];
    for (int j = 0; j < n; j++) {
      xSmall[j] = r.nextLong(-(1L << 40), 1L << 40);
      ySmall[j] = r.nextLong(-(1L << 40), 1L << 40);
    }
    long[] keys = new long[o.groupByRows()];
    double[] values = new double[o.groupByRows()];
    for (int j = 0; j < keys.length; j++) {
      keys[j] = GROUP_KEYS[r.nextInt(GROUP_KEYS.length)];
      values[j] = Math.rint(r.nextDouble(0, 5000) * 100) / 100;
    }
    double[][] features = new double[o.lrRows()][o.lrFeatures()];
    double[] labels = new double[o.lrRows()];
    syntheticRisk(features, labels, r);

    progress.println("bench mpc: plaintext baselines...");
    double plainMultiplications = plaintextMultiplications(x, y);
    double plainComparisons = plaintextComparisons(xSmall, ySmall);
    double plainGroupBy = plaintextGroupBy(keys, values);
    long t0 = System.nanoTime();
    LogisticModel plainModel = LogisticModel.trainInPlaintext(features, labels, o.schedule());
    double plainLr = (System.nanoTime() - t0) / 1e9;

    for (Transport t : transports) {
      progress.println("bench mpc: " + n + " multiplications, " + t.label + "...");
      Sample mult = slowest(parties(t, s -> {
        ShareVector xs = s.input(Party.P0, s.self().equals(Party.P0) ? x : null);
        ShareVector ys = s.input(Party.P1, s.self().equals(Party.P1) ? y : null);
        for (int i = 0; i < 10; i++) s.multiply(xs, ys);
        Meter start = Meter.read(s);
        for (int i = 0; i < 20; i++) s.multiply(xs, ys);
        return Meter.read(s).since(start, null);
      }));
      double securePerSecond = 20.0 * n / mult.seconds();
      rows.add(new Row(t.label, "64-bit multiplications per second", rate(securePerSecond), rate(plainMultiplications),
          ratio(plainMultiplications / securePerSecond), per(mult.messages(), 20) + " per batch", bytes(mult.bytes() / 20) + " per batch",
          String.format(Locale.ROOT, "%.3f s", mult.cpuSeconds() / 20)));

      progress.println("bench mpc: " + n + " comparisons, " + t.label + "...");
      Sample cmp = slowest(parties(t, s -> {
        ShareVector xs = s.input(Party.P0, s.self().equals(Party.P0) ? xSmall : null);
        ShareVector ys = s.input(Party.P1, s.self().equals(Party.P1) ? ySmall : null);
        SecureComparison.lessThan(xs.slice(0, Math.min(n, 1 << 14)), ys.slice(0, Math.min(n, 1 << 14)), s);
        Meter start = Meter.read(s);
        ShareVector lt = SecureComparison.lessThan(xs, ys, s);
        Sample sample = Meter.read(s).since(start, null);
        Optional<long[]> opened = s.revealTo(lt, Party.P2);
        opened.ifPresent(v -> checkComparisons(v, xSmall, ySmall));
        return sample;
      }));
      double comparisonsPerSecond = n / cmp.seconds();
      rows.add(new Row(t.label, "less-than comparisons per second", rate(comparisonsPerSecond), rate(plainComparisons),
          ratio(plainComparisons / comparisonsPerSecond), Long.toString(cmp.messages()), bytes(cmp.bytes()),
          String.format(Locale.ROOT, "%.2f s", cmp.cpuSeconds())));

      progress.println("bench mpc: GROUP BY of " + keys.length + " rows into " + GROUP_KEYS.length + " keys, " + t.label + "...");
      Sample group = slowest(parties(t, s -> {
        ShareVector ks = s.input(Party.P0, s.self().equals(Party.P0) ? keys : null);
        ShareVector vs = s.inputFixedPoint(Party.P1, s.self().equals(Party.P1) ? values : null);
        Meter start = Meter.read(s);
        GroupByAggregation.Groups g = GroupByAggregation.aggregate(ks, vs, GROUP_KEYS, s);
        Sample sample = Meter.read(s).since(start, null);
        s.revealTo(g.counts(), Party.P2).ifPresent(c -> checkCounts(c, keys));
        return sample;
      }));
      rows.add(new Row(t.label, String.format(Locale.ROOT, "GROUP BY, %,d rows, %d keys (s)", keys.length, GROUP_KEYS.length),
          seconds(group.seconds()), seconds(plainGroupBy), ratio(group.seconds() / plainGroupBy), Long.toString(group.messages()),
          bytes(group.bytes()), String.format(Locale.ROOT, "%.2f s", group.cpuSeconds())));

      progress.println("bench mpc: the demo's statistics query over the three hospitals' claims, " + t.label + "...");
      rows.add(demoQuery(t));

      progress.println("bench mpc: logistic regression on " + features.length + " × " + o.lrFeatures() + ", " + t.label + "...");
      var roles = new VerticalLogisticRegression.Roles(Party.P0, Party.P1, Party.P2);
      List<Sample> lr = parties(t, s -> {
        Meter start = Meter.read(s);
        Optional<LogisticModel> m = VerticalLogisticRegression.train(s, roles, features.length, o.lrFeatures(),
            s.self().equals(Party.P0) ? features : null, s.self().equals(Party.P1) ? labels : null, o.schedule());
        return Meter.read(s).since(start, m.orElse(null));
      });
      Sample lrSlowest = slowest(lr);
      LogisticModel secureModel = (LogisticModel) lr.get(2).value();
      rows.add(new Row(t.label, String.format(Locale.ROOT, "LR %,d × %d, %d epoch, batch %d (s)", features.length,
          o.lrFeatures(), o.schedule().epochs(), o.schedule().batchSize()), seconds(lrSlowest.seconds()), seconds(plainLr),
          ratio(lrSlowest.seconds() / plainLr), Long.toString(lrSlowest.messages()), bytes(lrSlowest.bytes()),
          String.format(Locale.ROOT, "%.1f s", lrSlowest.cpuSeconds())));
      rows.add(new Row(t.label, "  LR training accuracy", percent(secureModel.accuracy(features, labels)),
          percent(plainModel.accuracy(features, labels)), "", "", "", ""));
    }
    return rows;
  }

  /**
   * The demo's statistics query under the demo's policies (noise, cohort 10) as an {@code engine=mpc} job computes it
   * (each party's local partials over its own claims, the secret-shared program, sealing to the consumer, the consumer's
   * opening) against the same query computed in the clear over the pooled claims by one party (the same local code over
   * all rows, then the same release).
   */
  private static Row demoQuery(Transport t) {
    io.covenant.policy.OutputControls controls = io.covenant.policy.OutputControls.forPolicies(io.covenant.coordinator.demo.HospitalInsurerDemo.HOSPITALS.stream()
        .map(h -> io.covenant.policy.Policy.parse(io.covenant.coordinator.demo.HospitalInsurerDemo.policyFor(h.org()))).toList());
    io.covenant.mpc.sql.SecureAggregateQuery query = io.covenant.mpc.sql.SecureAggregateQuery.compile(
        io.covenant.coordinator.demo.HospitalInsurerDemo.STATISTICS_SQL, controls);
    var hospitals = io.covenant.coordinator.demo.HospitalInsurerDemo.HOSPITALS;
    io.covenant.core.crypto.HpkeKeyPair consumer = io.covenant.core.crypto.HpkeKeyPair.generate();
    io.covenant.core.crypto.KeyEncryptionKey kek = io.covenant.core.crypto.KeyEncryptionKey.generate();
    io.covenant.core.id.JobId job = io.covenant.core.id.JobId.random();
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
      List<io.covenant.coordinator.demo.SyntheticClaims.Batches> owners = new ArrayList<>();
      List<org.apache.arrow.vector.VectorSchemaRoot> claims = new ArrayList<>();
      try {
        for (var h : hospitals) {
          var b = io.covenant.coordinator.demo.SyntheticClaims.generate(allocator, h.seed(), h.rows(), h.costLevel(), h.rows());
          owners.add(b);
          claims.add(b.next());
        }
        long rowsInAll = hospitals.stream().mapToLong(h -> h.rows()).sum();
        double plain = Double.MAX_VALUE;
        int plainRows = 0;
        for (int run = 0; run < 5; run++) {
          long t0 = System.nanoTime();
          io.covenant.mpc.sql.OwnerPartials pooled = new io.covenant.mpc.sql.OwnerPartials(query, Optional.empty(), null);
          for (var c : claims) pooled.add(c, "claims");
          long[] partials = pooled.totals();
          long[] noise = query.noise(new java.security.SecureRandom());
          int g = query.groups();
          long[] kept = new long[g];
          long[] measured = new long[partials.length];
          for (int i = 0; i < partials.length; i++) measured[i] = partials[i] + noise[i];
          for (int i = 0; i < g; i++) kept[i] = partials[i] > 0 && measured[i] >= controls.minCohort() ? 1 : 0;
          for (int i = 0; i < partials.length; i++) measured[i] *= kept[i % g];
          plainRows = query.release(kept, measured).rows().size();
          plain = Math.min(plain, (System.nanoTime() - t0) / 1e9);
        }
        List<Sample> samples = null;
        double secure = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
          List<Object[]> out = parties(t, s -> {
            long t0 = System.nanoTime();
            Meter start = Meter.read(s);
            io.covenant.mpc.sql.OwnerPartials own = new io.covenant.mpc.sql.OwnerPartials(query, Optional.empty(),
                kek.subjectKey(io.covenant.core.id.DatasetId.parse(COMMITTEE.member(s.self()).value() + "/claims")));
            own.add(claims.get(s.self().index()), "claims");
            long[] contribution = io.covenant.mpc.sql.SecureAggregateProgram.contribution(query, own.totals(), query.noise(new java.security.SecureRandom()));
            byte[] sealed = io.covenant.mpc.sql.SealedShares.seal(job, COMMITTEE, s.self(), query.layout(),
                io.covenant.mpc.sql.SecureAggregateProgram.run(s, query, contribution), consumer.publicKey());
            return new Object[] {Meter.read(s).since(start, null), sealed};
          });
          long t0 = System.nanoTime();
          List<byte[]> sealedParts = out.stream().map(x -> (byte[]) x[1]).toList();
          io.covenant.mpc.sql.SealedShares.openTable(io.covenant.mpc.sql.SealedShares.bundle(job, sealedParts), consumer, job,
              new io.covenant.core.job.Computation.SqlQuery(query.sql()).hash(consumer.suite()));
          double opening = (System.nanoTime() - t0) / 1e9;
          List<Sample> these = out.stream().map(x -> (Sample) x[0]).toList();
          double total = slowest(these).seconds() + opening;
          if (total < secure) {
            secure = total;
            samples = these;
          }
        }
        Sample worst = slowest(samples);
        return new Row(t.label, String.format(Locale.ROOT, "demo query, %,d rows, %d groups, %d released (s)", rowsInAll, query.groups(), plainRows),
            seconds(secure), seconds(plain), ratio(secure / plain), Long.toString(worst.messages()), bytes(worst.bytes()),
            String.format(Locale.ROOT, "%.2f s", worst.cpuSeconds()));
      } finally {
        owners.forEach(io.covenant.coordinator.demo.SyntheticClaims.Batches::close);
      }
    }
  }

  static String table(List<Row> rows) {
    TextTable t = TextTable.withHeaders("transport", "measure", "secure", "plaintext", "plaintext advantage", "messages (busiest party)",
        "bytes sent (all parties)", "party CPU time");
    for (Row r : rows) t.row(r.transport(), r.measure(), r.secure(), r.plaintext(), r.ratio(), r.messages(), r.bytes(), r.cpu());
    return t.render();
  }

  /** Runs the program as the three parties, on threads of this JVM, over metered channels of the given transport. */
  private static <R> List<R> parties(Transport transport, Function<PartySession, R> program) {
    Duration timeout = Duration.ofMinutes(5);
    List<java.util.function.Supplier<PartyChannel>> openers = new ArrayList<>();
    if (transport == Transport.IN_PROCESS) {
      for (PartyChannel c : InProcessNetwork.connect(COMMITTEE, timeout)) openers.add(() -> c);
    } else {
      List<TcpPartyChannel.Listener> listeners = new ArrayList<>();
      for (Party p : Party.all()) {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        listeners.add(transport == Transport.TLS_LOOPBACK
            ? TcpPartyChannel.listen(p, COMMITTEE, loopback, timeout, BenchConsortium.IDENTITIES.get(COMMITTEE.member(p)))
            : TcpPartyChannel.listen(p, COMMITTEE, loopback, timeout));
      }
      for (Party p : Party.all()) {
        openers.add(() -> listeners.get(p.index()).connect(listeners.get(p.next().index()).address()));
      }
    }
    List<R> results = new ArrayList<>(List.of());
    Object[] out = new Object[3];
    Throwable[] failed = new Throwable[3];
    Thread[] threads = new Thread[3];
    for (int i = 0; i < 3; i++) {
      int party = i;
      threads[i] = Thread.ofPlatform().name("bench-mpc-party-" + i).start(() -> {
        try (MeteredChannel channel = new MeteredChannel(openers.get(party).get())) {
          out[party] = program.apply(PartySession.start(channel, FixedPoint.DEFAULT));
        } catch (Throwable e) {
          failed[party] = e;
        }
      });
    }
    for (Thread th : threads) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CovenantException("the benchmark was interrupted");
      }
    }
    for (Throwable e : failed) {
      if (e != null) throw new CovenantException("a party of the benchmark failed: " + e.getMessage(), e);
    }
    for (Object o : out) {
      @SuppressWarnings("unchecked")
      R typed = (R) o;
      results.add(typed);
    }
    return results;
  }

  /** Certificates for the TLS transport: a consortium that exists only for this run, created on first use. */
  private static final class BenchConsortium {
    static final Map<OrgId, MutualTls> IDENTITIES = create();

    private static Map<OrgId, MutualTls> create() {
      Instant now = Instant.now();
      CertificateAuthority ca = CertificateAuthority.create("bench mpc (throwaway)", now.minus(Duration.ofMinutes(5)), Duration.ofDays(1));
      Map<OrgId, MutualTls> out = new HashMap<>();
      for (OrgId org : COMMITTEE.members()) {
        SigningKey key = SigningKey.generate();
        OrgCertificate cert = ca.issue(org, List.of("owner"), key.verifyingKey(), now.minus(Duration.ofMinutes(1)), Duration.ofHours(12));
        out.put(org, MutualTls.of(org, key, cert, new ConsortiumRoot(ca.root()), fingerprint -> false, Clock.systemUTC()));
      }
      return Map.copyOf(out);
    }
  }

  private static Sample slowest(List<Sample> samples) {
    Sample worst = samples.getFirst();
    long messages = 0;
    long bytes = 0;
    double cpu = 0;
    for (Sample s : samples) {
      if (s.seconds() > worst.seconds()) worst = s;
      messages = Math.max(messages, s.messages());
      bytes += s.bytes();
      cpu += s.cpuSeconds();
    }
    return new Sample(worst.seconds(), messages, bytes, cpu, worst.value());
  }

  private static double plaintextMultiplications(long[] x, long[] y) {
    for (int i = 0; i < 10; i++) Ring64.multiply(x, y);
    long t0 = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < 20; i++) sink += Ring64.multiply(x, y)[i];
    double s = (System.nanoTime() - t0) / 1e9;
    if (sink == 42) System.out.print("");
    return 20.0 * x.length / s;
  }

  private static long[] lessThan(long[] x, long[] y) {
    long[] out = new long[x.length];
    for (int j = 0; j < x.length; j++) out[j] = x[j] < y[j] ? 1 : 0;
    return out;
  }

  private static double plaintextComparisons(long[] x, long[] y) {
    for (int i = 0; i < 10; i++) lessThan(x, y);
    long t0 = System.nanoTime();
    for (int i = 0; i < 20; i++) lessThan(x, y);
    return 20.0 * x.length / ((System.nanoTime() - t0) / 1e9);
  }

  private static double plaintextGroupBy(long[] keys, double[] values) {
    double seconds = Double.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) {
      long t0 = System.nanoTime();
      long[] counts = new long[GROUP_KEYS.length];
      double[] sums = new double[GROUP_KEYS.length];
      for (int j = 0; j < keys.length; j++) {
        for (int g = 0; g < GROUP_KEYS.length; g++) {
          if (keys[j] == GROUP_KEYS[g]) {
            counts[g]++;
            sums[g] += values[j];
          }
        }
      }
      double[] means = new double[GROUP_KEYS.length];
      for (int g = 0; g < means.length; g++) means[g] = counts[g] == 0 ? 0 : sums[g] / counts[g];
      seconds = Math.min(seconds, (System.nanoTime() - t0) / 1e9);
    }
    return seconds;
  }

  private static void checkComparisons(long[] opened, long[] x, long[] y) {
    long[] expected = lessThan(x, y);
    if (!java.util.Arrays.equals(opened, expected)) throw new CovenantException("the secure comparisons disagree with plaintext");
  }

  private static void checkCounts(long[] opened, long[] keys) {
    for (int g = 0; g < GROUP_KEYS.length; g++) {
      long c = 0;
      for (long k : keys) if (k == GROUP_KEYS[g]) c++;
      if (opened[g] != c) throw new CovenantException("the secure GROUP BY count of key " + GROUP_KEYS[g] + " disagrees with plaintext");
    }
  }

  /** Standard-normal features and labels from a logistic model with fixed weights: LR is meaningful on it. */
  private static void syntheticRisk(double[][] features, double[] labels, SplittableRandom r) {
    int d = features[0].length;
    double[] truth = new double[d];
    for (int k = 0; k < d; k++) truth[k] = r.nextDouble(-1, 1);
    for (int i = 0; i < features.length; i++) {
      double z = 0.2;
      for (int k = 0; k < d; k++) {
        double u = r.nextDouble(Double.MIN_VALUE, 1);
        features[i][k] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
        z += truth[k] * features[i][k];
      }
      labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f /s", perSecond);
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f s", s);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.1f×", r);
  }

  private static String percent(double p) {
    return String.format(Locale.ROOT, "%.2f %%", 100 * p);
  }

  private static String per(long count, int batches) {
    return String.format(Locale.ROOT, "%.1f", (double) count / batches);
  }

  private static String bytes(long b) {
    if (b >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    if (b >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    if (b >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    return b + " B";
  }
}

package io.covenant.mpc.he;

import io.covenant.mpc.he.HeHandle.Ciphertext;
import io.covenant.mpc.he.HeHandle.GaloisKeys;
import io.covenant.mpc.he.HeHandle.PublicKey;
import io.covenant.mpc.he.HeHandle.RelinKeys;
import io.covenant.mpc.he.HeHandle.SecretKey;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link HeEvaluator} over a sidecar process: Microsoft SEAL compiled to WebAssembly (node-seal 6.0.3) in Node.js,
 * spoken to over the process's stdin and stdout in length-prefixed binary frames (the format is described in
 * {@code mpc-node/src/main/he-sidecar/sidecar.js}). The process has no network listener at all: only its parent can
 * talk to it. One request is in flight at a time; calls are serialised.
 *
 * <p>The owner (the node, a party program, a test) {@link #start}s it, may {@link #healthCheck} it, {@link #restart}s it
 * after a failure and {@link #close}s it. When the process dies or stops answering, the running call and every later
 * call fail with {@link HeSidecarException} naming the sidecar, its process id and its last words on stderr, until
 * {@link #restart}; handles made before a restart are refused, since the objects they named died with the process.
 * Frames larger than the limit are refused in both directions.
 */
public final class SealSidecar implements HeEvaluator {

  /** How a sidecar is run. */
  public record Options(String name, int maxFrameBytes, Duration operationTimeout, Duration startTimeout) {
    /** 256 MiB frames (Galois keys for many steps at N = 16384 are tens of MiB), 10 minutes per call, 60 s to start. */
    public static Options named(String name) {
      return new Options(name, 256 << 20, Duration.ofMinutes(10), Duration.ofSeconds(60));
    }

    public Options withOperationTimeout(Duration timeout) {
      return new Options(name, maxFrameBytes, timeout, startTimeout);
    }

    public Options withMaxFrameBytes(int bytes) {
      return new Options(name, bytes, operationTimeout, startTimeout);
    }
  }

  private enum Op {
    PING(1), PARAMS_BUILD(2), PARAMS_INSPECT(3), CONTEXT(4), KEYGEN(5), RELIN_KEYS(6), GALOIS_KEYS(7), SAVE(8), LOAD(9), ENCRYPT(10),
    DECRYPT(11), ADD(12), SUB(13), MULTIPLY(14), RELINEARIZE(15), RESCALE(16), MUL_PLAIN(17), ADD_PLAIN(18), ROTATE(19), MOD_SWITCH_TO(20),
    SET_SCALE(21), INFO(22), RELEASE(23), SUM_SLOTS(24), HOLDINGS(25);

    final int code;

    Op(int code) {
      this.code = code;
    }
  }

  private static final int SCHEME_BFV = 1;
  private static final int SCHEME_CKKS = 2;
  private static final int STDERR_LINES = 20;

  private final SidecarInstallation installation;
  private final Options options;
  private Process process;
  private DataOutputStream toSidecar;
  private DataInputStream fromSidecar;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private long generation;
  private String implementation;
  /** Why the current process is unusable, or null while it is healthy. */
  private String broken;
  private volatile long deadlineNanos = Long.MAX_VALUE;
  private volatile boolean timedOut;
  private volatile long operations;
  private Thread watchdog;
  /** SEAL contexts by the SHA-256 of their parameters: {handle, slots}. Building one costs 0.1-0.4 s at N = 8192. */
  private final java.util.Map<io.covenant.core.crypto.Digest, int[]> contexts = new java.util.HashMap<>();

  private SealSidecar(SidecarInstallation installation, Options options) {
    this.installation = installation;
    this.options = options;
  }

  /** Installs the sidecar if needed (see {@link HeSidecarInstall}), starts it and checks that SEAL answers. */
  public static SealSidecar start(String name) {
    return start(HeSidecarInstall.install(), Options.named(name));
  }

  public static SealSidecar start(SidecarInstallation installation, Options options) {
    SealSidecar s = new SealSidecar(installation, options);
    synchronized (s) {
      s.launch();
    }
    return s;
  }

  private void launch() {
    generation++;
    contexts.clear();
    broken = null;
    timedOut = false;
    synchronized (stderrTail) {
      stderrTail.clear();
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(installation.node().toString(), installation.script().toString())
          .directory(installation.script().getParent().toFile());
      pb.environment().put("COVENANT_HE_MAX_FRAME", Integer.toString(options.maxFrameBytes()));
      process = pb.start();
    } catch (IOException e) {
      broken = "could not be started";
      throw new HeSidecarException("cannot start the SEAL sidecar '" + options.name() + "' (" + installation.node() + " " + installation.script() + "): "
          + e.getMessage() + "; check that Node.js is installed and the sidecar folder exists (delete it to reinstall)", e);
    }
    toSidecar = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
    fromSidecar = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    Process p = process;
    Thread drain = Thread.ofPlatform().daemon().name("he-sidecar-stderr-" + options.name()).start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (stderrTail) {
            stderrTail.addLast(line);
            while (stderrTail.size() > STDERR_LINES) stderrTail.removeFirst();
          }
        }
      } catch (IOException ignored) {
        // the process went away; its exit is reported by the call that notices
      }
    });
    drain.setUncaughtExceptionHandler((t, e) -> {});
    if (watchdog == null) {
      watchdog = Thread.ofPlatform().daemon().name("he-sidecar-watchdog-" + options.name()).start(this::watch);
    }
    implementation = healthCheck(options.startTimeout());
  }

  /** Kills the process of a call that overran its deadline, so that the blocked read returns and names the timeout. */
  private void watch() {
    while (true) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      Process p = process;
      if (p != null && System.nanoTime() > deadlineNanos && p.isAlive()) {
        timedOut = true;
        p.destroyForcibly();
      }
      if (p != null && !p.isAlive() && deadlineNanos == Long.MIN_VALUE) return;
    }
  }

  /**
   * Sends a ping and waits at most {@code timeout} for SEAL's answer; returns what runs underneath. Throws
   * {@link HeSidecarException} (and leaves the sidecar marked dead) when it does not answer.
   */
  public synchronized String healthCheck(Duration timeout) {
    ByteBuffer answer = call(Op.PING, new Request(), timeout);
    return readUtf8(answer);
  }

  /** Stops the process (if it still runs) and starts a new one; every handle made before is stale afterwards. */
  public synchronized void restart() {
    stopProcess();
    launch();
  }

  /** The running process's id, for the node's status page and for fault-injection tests. */
  public synchronized long pid() {
    return process.pid();
  }

  /** How many calls have been answered since start: lets a test or a progress line see that work is under way. */
  public long operationsAnswered() {
    return operations;
  }

  /** True while the process runs and has not failed a call. */
  public synchronized boolean isHealthy() {
    return broken == null && process.isAlive();
  }

  public Options options() {
    return options;
  }

  @Override
  public synchronized String implementation() {
    return implementation;
  }

  @Override
  public synchronized void close() {
    deadlineNanos = Long.MIN_VALUE;
    stopProcess();
    if (watchdog != null) watchdog.interrupt();
  }

  private void stopProcess() {
    if (process == null) return;
    try {
      toSidecar.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    broken = "was stopped";
  }

  // ---- the protocol ----

  /** A request body under construction. */
  private static final class Request {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final DataOutputStream out = new DataOutputStream(bytes);

    Request u8(int v) {
      return io(() -> out.writeByte(v));
    }

    Request u32(int v) {
      return io(() -> out.writeInt(v));
    }

    Request f64(double v) {
      return io(() -> out.writeDouble(v));
    }

    Request bytes(byte[] v) {
      return io(() -> {
        out.writeInt(v.length);
        out.write(v);
      });
    }

    Request f64s(double[] v) {
      return io(() -> {
        out.writeInt(v.length);
        ByteBuffer b = ByteBuffer.allocate(v.length * 8);
        b.asDoubleBuffer().put(v);
        out.write(b.array());
      });
    }

    Request i64s(long[] v) {
      return io(() -> {
        out.writeInt(v.length);
        ByteBuffer b = ByteBuffer.allocate(v.length * 8);
        b.asLongBuffer().put(v);
        out.write(b.array());
      });
    }

    Request i32s(int[] v) {
      return io(() -> {
        out.writeInt(v.length);
        for (int x : v) out.writeInt(x);
      });
    }

    private interface IoStep {
      void run() throws IOException;
    }

    private Request io(IoStep s) {
      try {
        s.run();
      } catch (IOException e) {
        throw new AssertionError("writing to memory cannot fail", e);
      }
      return this;
    }
  }

  private synchronized ByteBuffer call(Op op, Request request) {
    return call(op, request, options.operationTimeout());
  }

  private synchronized ByteBuffer call(Op op, Request request, Duration timeout) {
    if (broken != null) {
      throw new HeSidecarException("the SEAL sidecar '" + options.name() + "' (pid " + process.pid() + ") " + broken + "; " + op
          + " cannot run. Restart it (SealSidecar.restart(), which the node does on its own) and run the job again");
    }
    byte[] body = request.bytes.toByteArray();
    if (body.length + 1 > options.maxFrameBytes()) {
      throw new HeRefusedException(op + " would send a frame of " + (body.length + 1) + " bytes to the SEAL sidecar '" + options.name()
          + "', above its limit of " + options.maxFrameBytes() + " bytes; split the input into smaller batches");
    }
    deadlineNanos = System.nanoTime() + timeout.toNanos();
    try {
      toSidecar.writeInt(body.length + 1);
      toSidecar.writeByte(op.code);
      toSidecar.write(body);
      toSidecar.flush();
      int len = fromSidecar.readInt();
      if (len < 1 || len > options.maxFrameBytes()) {
        process.destroyForcibly();
        broken = "sent a frame of " + len + " bytes (limit " + options.maxFrameBytes() + ") and was stopped";
        throw new HeSidecarException("the SEAL sidecar '" + options.name() + "' (pid " + process.pid() + ") answered " + op + " with a frame of " + len
            + " bytes, outside 1.." + options.maxFrameBytes() + "; it was stopped. Restart it and run the job again");
      }
      int status = fromSidecar.readUnsignedByte();
      byte[] answer = new byte[len - 1];
      fromSidecar.readFully(answer);
      operations++;
      if (status != 0) throw new HeRefusedException(op + " refused by SEAL: " + new String(answer, StandardCharsets.UTF_8));
      return ByteBuffer.wrap(answer);
    } catch (IOException e) {
      throw died(op, timeout, e);
    } finally {
      deadlineNanos = Long.MAX_VALUE;
    }
  }

  private HeSidecarException died(Op op, Duration timeout, IOException cause) {
    long pid = process.pid();
    String exit;
    try {
      if (!timedOut && !process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
      exit = process.isAlive() ? "still running, stopped" : "exit code " + process.exitValue() + (process.exitValue() > 128 ? " (killed by signal " + (process.exitValue() - 128) + ")" : "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = "interrupted while waiting for it";
    }
    String why = timedOut ? "did not answer " + op + " within " + timeout.toSeconds() + " s and was stopped"
        : "died during " + op + " (" + exit + ")";
    broken = why;
    String last;
    synchronized (stderrTail) {
      last = stderrTail.isEmpty() ? "nothing on stderr" : "last stderr: " + String.join(" | ", stderrTail);
    }
    return new HeSidecarException("the SEAL sidecar '" + options.name() + "' (pid " + pid + ") " + why + "; " + last
        + ". The operation failed and left no result; restart the sidecar (SealSidecar.restart(), which the node does on its own) and run the job again"
        + (cause instanceof EOFException ? "" : " (" + cause.getMessage() + ")"), cause);
  }

  private static String readUtf8(ByteBuffer b) {
    int n = b.getInt();
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(ByteBuffer b) {
    int n = b.getInt();
    byte[] s = new byte[n];
    b.get(s);
    return s;
  }

  private void own(HeContext c) {
    if (c.generation() != generation) {
      throw new HeSidecarException("this handle was made by the SEAL sidecar '" + options.name() + "' before it was restarted (generation " + c.generation()
          + ", now " + generation + "); its objects died with that process. Load the parameters, keys and ciphertexts again from their SEAL bytes");
    }
  }

  private void own(HeHandle h) {
    own(h.context());
  }

  private void sameContext(HeHandle a, HeHandle b) {
    own(a);
    if (a.context().id() != b.context().id() || a.context().generation() != b.context().generation()) {
      throw new HeRefusedException("the two objects belong to different parameter contexts; load both under the same parameters");
    }
  }

  // ---- HeEvaluator ----

  @Override
  public synchronized HeContext context(HeParameters parameters) {
    SealBytes bytes = parameterBytes(parameters.scheme(), parameters.polyModulusDegree(), parameters.coeffModulusBits(), parameters.plainModulusBits());
    return create(parameters, bytes);
  }

  /** SEAL's serialisation of parameters, unchecked (the checks are in {@link HeParameters} and at load). */
  synchronized SealBytes parameterBytes(HeScheme scheme, int polyModulusDegree, List<Integer> coeffModulusBits, int plainModulusBits) {
    Request r = new Request().u8(scheme == HeScheme.CKKS ? SCHEME_CKKS : SCHEME_BFV).u32(polyModulusDegree)
        .i32s(coeffModulusBits.stream().mapToInt(Integer::intValue).toArray()).u8(plainModulusBits);
    return new SealBytes(SealBytes.Kind.PARAMETERS, readBytes(call(Op.PARAMS_BUILD, r)));
  }

  @Override
  public synchronized HeContext context(SealBytes parameters, int scaleBits) {
    if (parameters.kind() != SealBytes.Kind.PARAMETERS) throw new HeRefusedException("expected SEAL encryption parameters, got " + parameters);
    ByteBuffer b = call(Op.PARAMS_INSPECT, new Request().bytes(parameters.bytes()));
    HeScheme scheme = b.get() == SCHEME_CKKS ? HeScheme.CKKS : HeScheme.BFV;
    int n = b.getInt();
    int count = b.getInt();
    List<Integer> bits = new ArrayList<>();
    for (int i = 0; i < count; i++) bits.add(b.getInt());
    double plain = b.getDouble();
    // The standard's table is checked here, before SEAL builds anything, so that the refusal names the rule; the
    // HeParameters constructor checks it too, and SEAL a third time (tc128).
    HeSecurityStandard.require128Bit(scheme, n, HeParameters.totalModulusBits(bits));
    HeParameters p = scheme == HeScheme.CKKS ? HeParameters.ckks(n, bits, scaleBits) : HeParameters.bfv(n, bits, 64 - Long.numberOfLeadingZeros((long) plain));
    return create(p, parameters);
  }

  private HeContext create(HeParameters p, SealBytes bytes) {
    int[] known = contexts.get(bytes.digest());
    if (known == null) {
      ByteBuffer b = call(Op.CONTEXT, new Request().bytes(bytes.bytes()));
      known = new int[] {b.getInt(), b.getInt()};
      contexts.put(bytes.digest(), known);
    }
    return new HeContext(known[0], generation, p, known[1], bytes);
  }

  @Override
  public synchronized KeyPair generateKeys(HeContext context) {
    own(context);
    ByteBuffer b = call(Op.KEYGEN, new Request().u32(context.id()));
    SecretKey sk = new SecretKey(context, b.getInt());
    PublicKey pk = new PublicKey(context, b.getInt());
    return new KeyPair(sk, pk, save(pk));
  }

  @Override
  public synchronized RelinKeys relinKeys(SecretKey secretKey) {
    own(secretKey);
    return new RelinKeys(secretKey.context(), call(Op.RELIN_KEYS, new Request().u32(secretKey.context().id()).u32(secretKey.id())).getInt());
  }

  @Override
  public synchronized GaloisKeys galoisKeys(SecretKey secretKey, int[] steps) {
    own(secretKey);
    return new GaloisKeys(secretKey.context(), call(Op.GALOIS_KEYS, new Request().u32(secretKey.context().id()).u32(secretKey.id()).i32s(steps)).getInt());
  }

  @Override
  public synchronized SealBytes save(HeHandle.Shareable object) {
    own(object);
    return new SealBytes(object.kind(), readBytes(call(Op.SAVE, new Request().u32(object.id()))));
  }

  private int load(HeContext context, SealBytes bytes, SealBytes.Kind expected, int kindCode) {
    own(context);
    if (bytes.kind() != expected) throw new HeRefusedException("expected SEAL " + expected + " bytes, got " + bytes);
    return call(Op.LOAD, new Request().u32(context.id()).u8(kindCode).bytes(bytes.bytes())).getInt();
  }

  @Override
  public synchronized PublicKey loadPublicKey(HeContext context, SealBytes bytes) {
    return new PublicKey(context, load(context, bytes, SealBytes.Kind.PUBLIC_KEY, 1));
  }

  @Override
  public synchronized RelinKeys loadRelinKeys(HeContext context, SealBytes bytes) {
    return new RelinKeys(context, load(context, bytes, SealBytes.Kind.RELIN_KEYS, 2));
  }

  @Override
  public synchronized GaloisKeys loadGaloisKeys(HeContext context, SealBytes bytes) {
    return new GaloisKeys(context, load(context, bytes, SealBytes.Kind.GALOIS_KEYS, 3));
  }

  @Override
  public synchronized Ciphertext loadCiphertext(HeContext context, SealBytes bytes) {
    return new Ciphertext(context, load(context, bytes, SealBytes.Kind.CIPHERTEXT, 4));
  }

  private void requireScheme(HeContext c, HeScheme s, String what) {
    if (c.parameters().scheme() != s) throw new HeRefusedException(what + " needs " + s + " parameters; these are " + c.parameters());
  }

  private void fits(HeContext c, int n) {
    if (n > c.slots()) throw new HeRefusedException(n + " values do not fit the " + c.slots() + " slots of " + c.parameters() + "; split them over several ciphertexts");
  }

  @Override
  public synchronized Ciphertext encryptReals(PublicKey publicKey, double[] values) {
    return encryptReals(publicKey, values, publicKey.context().parameters().scale());
  }

  @Override
  public synchronized Ciphertext encryptReals(PublicKey publicKey, double[] values, double scale) {
    own(publicKey);
    HeContext c = publicKey.context();
    requireScheme(c, HeScheme.CKKS, "encrypting reals");
    fits(c, values.length);
    return new Ciphertext(c, call(Op.ENCRYPT, new Request().u32(c.id()).u32(publicKey.id()).f64(scale).f64s(values)).getInt());
  }

  /** What the sidecar holds, by kind: lets a node (and a test) show that a party holds no secret key at all. */
  public record Holdings(int contexts, int secretKeys, int publicKeys, int relinKeys, int galoisKeys, int ciphertexts) {}

  public synchronized Holdings holdings() {
    ByteBuffer b = call(Op.HOLDINGS, new Request());
    int pk = b.getInt();
    int rk = b.getInt();
    int gk = b.getInt();
    int ct = b.getInt();
    int sk = b.getInt();
    int ctx = b.getInt();
    return new Holdings(ctx, sk, pk, rk, gk, ct);
  }

  @Override
  public synchronized Ciphertext encryptIntegers(PublicKey publicKey, long[] values) {
    own(publicKey);
    HeContext c = publicKey.context();
    requireScheme(c, HeScheme.BFV, "encrypting integers");
    fits(c, values.length);
    return new Ciphertext(c, call(Op.ENCRYPT, new Request().u32(c.id()).u32(publicKey.id()).i64s(values)).getInt());
  }

  @Override
  public synchronized double[] decryptReals(SecretKey secretKey, Ciphertext ciphertext) {
    sameContext(secretKey, ciphertext);
    requireScheme(ciphertext.context(), HeScheme.CKKS, "decrypting reals");
    ByteBuffer b = call(Op.DECRYPT, new Request().u32(ciphertext.context().id()).u32(secretKey.id()).u32(ciphertext.id()));
    double[] out = new double[b.getInt()];
    b.asDoubleBuffer().get(out);
    return out;
  }

  @Override
  public synchronized long[] decryptIntegers(SecretKey secretKey, Ciphertext ciphertext) {
    sameContext(secretKey, ciphertext);
    requireScheme(ciphertext.context(), HeScheme.BFV, "decrypting integers");
    ByteBuffer b = call(Op.DECRYPT, new Request().u32(ciphertext.context().id()).u32(secretKey.id()).u32(ciphertext.id()));
    long[] out = new long[b.getInt()];
    b.asLongBuffer().get(out);
    return out;
  }

  private Ciphertext binary(Op op, Ciphertext a, Ciphertext b) {
    sameContext(a, b);
    return new Ciphertext(a.context(), call(op, new Request().u32(a.context().id()).u32(a.id()).u32(b.id())).getInt());
  }

  @Override
  public synchronized Ciphertext add(Ciphertext a, Ciphertext b) {
    return binary(Op.ADD, a, b);
  }

  @Override
  public synchronized Ciphertext subtract(Ciphertext a, Ciphertext b) {
    return binary(Op.SUB, a, b);
  }

  @Override
  public synchronized Ciphertext multiply(Ciphertext a, Ciphertext b) {
    return binary(Op.MULTIPLY, a, b);
  }

  @Override
  public synchronized Ciphertext relinearize(Ciphertext ciphertext, RelinKeys relinKeys) {
    sameContext(ciphertext, relinKeys);
    return new Ciphertext(ciphertext.context(), call(Op.RELINEARIZE, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).u32(relinKeys.id())).getInt());
  }

  @Override
  public synchronized Ciphertext rescale(Ciphertext ciphertext) {
    own(ciphertext);
    requireScheme(ciphertext.context(), HeScheme.CKKS, "rescaling");
    return new Ciphertext(ciphertext.context(), call(Op.RESCALE, new Request().u32(ciphertext.context().id()).u32(ciphertext.id())).getInt());
  }

  @Override
  public synchronized Ciphertext multiplyPlain(Ciphertext ciphertext, double[] values, double scale) {
    own(ciphertext);
    requireScheme(ciphertext.context(), HeScheme.CKKS, "multiplying by reals");
    fits(ciphertext.context(), values.length);
    Request r = new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).f64s(values).f64(scale);
    return new Ciphertext(ciphertext.context(), call(Op.MUL_PLAIN, r).getInt());
  }

  @Override
  public synchronized Ciphertext multiplyPlain(Ciphertext ciphertext, long[] values) {
    own(ciphertext);
    requireScheme(ciphertext.context(), HeScheme.BFV, "multiplying by integers");
    fits(ciphertext.context(), values.length);
    return new Ciphertext(ciphertext.context(), call(Op.MUL_PLAIN, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).i64s(values)).getInt());
  }

  @Override
  public synchronized Ciphertext addPlain(Ciphertext ciphertext, double[] values) {
    own(ciphertext);
    requireScheme(ciphertext.context(), HeScheme.CKKS, "adding reals");
    fits(ciphertext.context(), values.length);
    return new Ciphertext(ciphertext.context(), call(Op.ADD_PLAIN, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).f64s(values)).getInt());
  }

  @Override
  public synchronized Ciphertext addPlain(Ciphertext ciphertext, long[] values) {
    own(ciphertext);
    requireScheme(ciphertext.context(), HeScheme.BFV, "adding integers");
    fits(ciphertext.context(), values.length);
    return new Ciphertext(ciphertext.context(), call(Op.ADD_PLAIN, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).i64s(values)).getInt());
  }

  @Override
  public synchronized Ciphertext rotate(Ciphertext ciphertext, int steps, GaloisKeys galoisKeys) {
    sameContext(ciphertext, galoisKeys);
    return new Ciphertext(ciphertext.context(),
        call(Op.ROTATE, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).u32(steps).u32(galoisKeys.id())).getInt());
  }

  @Override
  public synchronized Ciphertext sumSlots(Ciphertext ciphertext, GaloisKeys galoisKeys) {
    sameContext(ciphertext, galoisKeys);
    return new Ciphertext(ciphertext.context(), call(Op.SUM_SLOTS, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).u32(galoisKeys.id())).getInt());
  }

  @Override
  public synchronized Ciphertext modSwitchTo(Ciphertext ciphertext, Ciphertext reference) {
    return binary(Op.MOD_SWITCH_TO, ciphertext, reference);
  }

  @Override
  public synchronized void setScale(Ciphertext ciphertext, double scale) {
    own(ciphertext);
    call(Op.SET_SCALE, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()).f64(scale));
  }

  @Override
  public synchronized CiphertextInfo info(Ciphertext ciphertext) {
    own(ciphertext);
    ByteBuffer b = call(Op.INFO, new Request().u32(ciphertext.context().id()).u32(ciphertext.id()));
    return new CiphertextInfo(b.getInt(), b.getDouble(), b.getInt());
  }

  @Override
  public synchronized void release(HeHandle... objects) {
    List<Integer> ids = new ArrayList<>();
    for (HeHandle h : objects) {
      if (h != null && h.context().generation() == generation) ids.add(h.id());
    }
    if (ids.isEmpty() || broken != null) return;
    call(Op.RELEASE, new Request().i32s(ids.stream().mapToInt(Integer::intValue).toArray()));
  }

  /**
   * Does nothing: this sidecar keeps one SEAL context per parameter set for its whole life and hands it to every job
   * with those parameters, since building one (NTT tables for every prime) costs more than most jobs' own work. A node
   * uses a handful of parameter sets; a restart clears them.
   */
  @Override
  public synchronized void release(HeContext context) {
    // kept for later jobs; see above
  }
}

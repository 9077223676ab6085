package io.covenant.mpc.psi;

import io.covenant.mpc.transport.MeteredPeerLink;

import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * The state one party holds during one PSI run: its job, role and prepared ids, the metered link, what the peer announced
 * in its first message, and the party's worker threads. Also the framing every protocol step shares: counted batches,
 * and errors that name the peer when it sends what the step does not expect.
 */
final class PsiRun implements AutoCloseable {
  private static final byte[] MAGIC = "CVPSI1".getBytes(StandardCharsets.US_ASCII);

  final PsiJob job;
  final PsiRole role;
  final PreparedIds ids;
  final MeteredPeerLink link;
  final SecureRandom random = new SecureRandom();
  final ForkJoinPool pool;
  final byte[] ownNonce = new byte[16];
  final PartyView view;
  byte[] peerNonce;
  int peerDistinct;

  PsiRun(PsiJob job, PsiRole role, PreparedIds ids, PeerLink link, PartyView view) {
    this.view = view;
    this.job = job;
    this.role = role;
    this.ids = ids;
    this.link = new MeteredPeerLink(link);
    this.pool = new ForkJoinPool(job.threads());
    random.nextBytes(ownNonce);
  }

  /** First message, both ways: protocol, job digest, role, distinct-set size, a fresh nonce. Checks the peer's. */
  void handshake() {
    byte[] proto = job.protocol().wireName().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer hello = ByteBuffer.allocate(MAGIC.length + 1 + proto.length + 32 + 1 + 4 + 16);
    hello.put(MAGIC).put((byte) proto.length).put(proto).put(job.agreementDigest()).put((byte) role.ordinal()).putInt(ids.distinct).put(ownNonce);
    link.send(hello.array());
    ByteBuffer in = ByteBuffer.wrap(link.receive());
    try {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!MessageDigest.isEqual(magic, MAGIC)) throw malformed("a first message that is not a Covenant PSI hello");
      byte[] peerProto = new byte[in.get() & 0xff];
      in.get(peerProto);
      String peerProtocol = new String(peerProto, StandardCharsets.US_ASCII);
      if (!peerProtocol.equals(job.protocol().wireName())) {
        throw new PsiMismatchException(link.peer() + " runs PSI protocol " + peerProtocol + " where " + link.self() + " runs "
            + job.protocol().wireName() + ": start both parties with the same job");
      }
      byte[] digest = new byte[32];
      in.get(digest);
      if (!MessageDigest.isEqual(digest, job.agreementDigest())) {
        throw new PsiMismatchException(link.peer() + " was started for another PSI job than " + link.self() + " (job " + job.jobId()
            + ", id rule " + job.idRule() + ", delivery " + job.delivery() + " here): both must use the same job id, id rule and delivery");
      }
      int peerRole = in.get();
      if (peerRole != role.other().ordinal()) {
        throw new PsiMismatchException(link.peer() + " and " + link.self() + " both act as " + role.name().toLowerCase()
            + ": one party of a PSI run is the sender and the other the receiver");
      }
      peerDistinct = in.getInt();
      if (peerDistinct < 0) throw malformed("a negative set size");
      peerNonce = new byte[16];
      in.get(peerNonce);
      if (in.hasRemaining()) throw malformed("a hello longer than expected");
    } catch (java.nio.BufferUnderflowException e) {
      throw malformed("a hello shorter than expected");
    }
  }

  /** A value both parties derive identically from both nonces (receiver's first), e.g. a public code key. */
  byte[] jointSeed(String purpose) {
    MessageDigest sha = HashToCurveP256.hash();
    sha.update(purpose.getBytes(StandardCharsets.US_ASCII));
    sha.update(job.agreementDigest());
    sha.update(role == PsiRole.RECEIVER ? ownNonce : peerNonce);
    sha.update(role == PsiRole.RECEIVER ? peerNonce : ownNonce);
    return sha.digest();
  }

  PeerLinkException malformed(String what) {
    return new PeerLinkException(link.peer(), PeerLinkException.Reason.MALFORMED, link.peer() + " sent " + what + " during PSI job "
        + job.jobId() + " (" + job.protocol().wireName() + "): it runs another version or is broken; the run stopped and nothing was kept");
  }

  /**
   * Receives one frame of whole elements of {@code elementBytes} each, at most {@code remaining} of them, and returns how
   * many it holds; a frame with a partial element, no element, or more elements than announced is refused.
   */
  byte[] receiveElements(int elementBytes, long remaining, String what) {
    byte[] frame = link.receive();
    if (frame.length == 0 || frame.length % elementBytes != 0) {
      throw malformed("a frame of " + frame.length + " bytes where whole " + what + " of " + elementBytes + " bytes each were expected");
    }
    if (frame.length / elementBytes > remaining) {
      throw malformed("more " + what + " than it announced (" + remaining + " still expected, " + frame.length / elementBytes + " received)");
    }
    return frame;
  }

  /** Sends {@code values} as a count frame and then frames of at most 1M ints. */
  void sendInts(int[] values) {
    link.send(ByteBuffer.allocate(4).putInt(values.length).array());
    for (int from = 0; from < values.length; from += 1 << 20) {
      int to = Math.min(values.length, from + (1 << 20));
      ByteBuffer b = ByteBuffer.allocate(4 * (to - from));
      for (int i = from; i < to; i++) b.putInt(values[i]);
      link.send(b.array());
    }
  }

  /** Receives what {@link #sendInts} sent; refuses more than {@code max} values or values outside [0, bound). */
  int[] receiveInts(int max, int bound, String what) {
    byte[] head = link.receive();
    if (head.length != 4) throw malformed("a " + head.length + "-byte frame where the count of " + what + " was expected");
    int count = ByteBuffer.wrap(head).getInt();
    if (count < 0 || count > max) throw malformed(count + " " + what + " where at most " + max + " are possible");
    int[] out = new int[count];
    int k = 0;
    while (k < count) {
      byte[] frame = receiveElements(4, count - k, what);
      ByteBuffer b = ByteBuffer.wrap(frame);
      while (b.hasRemaining()) {
        int v = b.getInt();
        if (v < 0 || v >= bound) throw malformed("a position " + v + " among the " + what + ", outside 0 to " + (bound - 1));
        out[k++] = v;
      }
    }
    return out;
  }

  /** Runs body(from, to) over [0, n) split into one contiguous chunk per thread, and waits for all. */
  void parallel(int n, RangeBody body) {
    int chunks = Math.min(job.threads(), Math.max(1, n / 256));
    if (chunks <= 1) {
      body.run(0, n);
      return;
    }
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      futures.add(pool.submit(() -> body.run(from, to)));
    }
    try {
      for (Future<?> f : futures) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.covenant.core.error.CovenantException("PSI job " + job.jobId() + " was interrupted: the computation was cancelled", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    }
  }

  interface RangeBody {
    void run(int from, int to);
  }

  PsiStats stats() {
    return new PsiStats(ids.rows, ids.distinct, peerDistinct, link.bytesSent(), link.bytesReceived());
  }

  /**
   * {@code n} uniformly random words: AES-128-CTR keystream under a fresh key from the run's SecureRandom (NIST SP
   * 800-90A's CTR_DRBG construction without reseeding), because a million SecureRandom calls would dominate a run.
   */
  long[] randomWords(int n) {
    return randomWords(random, n);
  }

  static long[] randomWords(SecureRandom random, int n) {
    byte[] key = new byte[16];
    random.nextBytes(key);
    long[] out = new long[n];
    javax.crypto.Cipher prg = OtExtension.prg(key);
    byte[] scratch = new byte[8 * 4096];
    long[] chunk = new long[4096];
    for (int from = 0; from < n; from += chunk.length) {
      int words = Math.min(chunk.length, n - from);
      OtExtension.keystream(prg, scratch, chunk, words);
      System.arraycopy(chunk, 0, out, from, words);
    }
    return out;
  }

  /** A uniformly random permutation of [0, n) (Fisher–Yates over {@link #randomWords}; bias below n/2^64). */
  int[] randomPermutation(int n) {
    int[] p = new int[n];
    long[] r = randomWords(n);
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = (int) Long.remainderUnsigned(r[i], i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

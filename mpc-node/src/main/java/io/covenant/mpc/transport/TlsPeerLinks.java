package io.covenant.mpc.transport;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * {@link PeerLink}s between organisations' nodes over TLS 1.3 with mutual authentication (RFC 8446), each side
 * presenting its consortium certificate through {@link MutualTls}. One side listens ({@link #listen}), the other dials
 * ({@link #connect}); which is which does not matter to the protocols that run over the link.
 *
 * <p><b>Who is at the other end.</b> The dialling side checks that the certificate of the node it reached names the
 * organisation it meant to reach; the listening side checks that the certificate of the node that connected names an
 * organisation the job expects there. An organisation is known by its certificate, never by its address. Then a
 * small handshake binds the link to one job: the dialler sends (magic, version, job id, organisation it meant to
 * reach); the listener answers "admitted", or "refused" with the reason, which the dialler reports. So a link opened
 * for one job can never carry another job's frames, even between the same two organisations.
 *
 * <p><b>Frames.</b> A frame is a 4-byte big-endian length, then that many bytes (at most {@link PeerLink#MAX_FRAME_BYTES}).
 * Each link has a writer thread (so {@link PeerLink#send} never waits for the peer and both sides may send before
 * they receive) and a reader thread that moves arriving frames into a queue (so the peer's writes never block on ours,
 * and a receive waits at most the peer timeout: {@link PeerLinkException.Reason#SILENT}). A closed connection is
 * {@link PeerLinkException.Reason#LEFT} once the frames before it are consumed; a node that cannot be dialled within
 * the timeout is {@link PeerLinkException.Reason#UNREACHABLE}; a wrong organisation, job or certificate is
 * {@link PeerLinkException.Reason#REFUSED}. Every error names the peer organisation.
 */
public final class TlsPeerLinks {
  private static final long HELLO_MAGIC = 0x436f765065657231L; // "CovPeer1": changes with the frame format
  private static final byte ADMITTED = 1;
  private static final byte REFUSED = 2;
  private static final int BUFFER_BYTES = 1 << 16;
  /** Largest handshake frame: magic, a job id and an organisation id in modified UTF-8. */
  private static final int MAX_HELLO_BYTES = 4096;

  private TlsPeerLinks() {}

  /**
   * Dials {@code peer}'s node at {@code address} for {@code job}, retrying until {@code peerTimeout} while nothing
   * listens there yet (the peer's node may start a moment later), and returns the link once that node admitted it.
   *
   * @throws PeerLinkException UNREACHABLE if nothing answered in time; REFUSED if the node there is another
   *     organisation, rejects this node's certificate, presents one from another consortium, or does not run
   *     {@code job} with this organisation
   */
  public static PeerLink connect(MutualTls identity, InetSocketAddress address, OrgId peer, JobId job, Duration peerTimeout) {
    requireArguments(identity, peerTimeout);
    if (address == null || peer == null || job == null) {
      throw new MalformedInputException("a peer link needs the peer's address, its organisation and the job it is for");
    }
    if (peer.equals(identity.self())) throw new MalformedInputException("a link joins two different organisations; both ends are " + peer);
    OrgId self = identity.self();
    String where = "at " + address;
    Socket raw = dial(self, peer, address, peerTimeout);
    TlsSockets tls;
    try {
      tls = TlsSockets.handshake(identity, raw, true, peerTimeout);
    } catch (SocketTimeoutException e) {
      throw PeerFailure.unreachable(self, peer, address.toString(), peerTimeout, e);
    } catch (IOException e) {
      throw PeerFailure.tlsRefused(self, peer, where, e);
    } catch (CovenantException e) {
      throw new PeerLinkException(peer, PeerLinkException.Reason.REFUSED, self + " refused the node " + where + ": " + e.getMessage(), e);
    }
    try {
      if (!tls.peer().equals(peer)) throw PeerFailure.wrongOrganisation(self, peer, tls.peer(), where);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(tls.tls().getOutputStream(), BUFFER_BYTES));
      DataInputStream in = new DataInputStream(new BufferedInputStream(tls.tls().getInputStream(), BUFFER_BYTES));
      writeFrame(out, hello(job, peer));
      out.flush();
      // The listener holds an unclaimed connection for up to its own peer timeout before refusing it with the reason;
      // wait a little longer than that, so that the reason, not a timeout, reaches this side.
      tls.raw().setSoTimeout((int) Math.min(Integer.MAX_VALUE, peerTimeout.toMillis() * 2 + 1000));
      byte[] answer;
      try {
        answer = readFrame(in, MAX_HELLO_BYTES);
      } catch (SocketTimeoutException e) {
        throw new PeerLinkException(peer, PeerLinkException.Reason.UNREACHABLE, peer + "'s node " + where + " accepted the connection from "
            + self + " but did not admit it to job " + job + " in time: start the job on that node, then rerun the computation", e);
      } catch (SSLException e) {
        throw PeerFailure.tlsRefused(self, peer, where, e);
      } catch (IOException e) {
        throw new PeerLinkException(peer, PeerLinkException.Reason.REFUSED, peer + "'s node " + where + " closed the connection from " + self
            + " before admitting it to job " + job + ": it may not accept " + self + "'s certificate (expired, revoked or from "
            + "another consortium); see that node's log", e);
      }
      if (answer.length >= 1 && answer[0] == ADMITTED) {
        return new Link(tls, self, peer, peerTimeout, in, out);
      }
      if (answer.length >= 1 && answer[0] == REFUSED) {
        String reason = new DataInputStream(new ByteArrayInputStream(answer, 1, answer.length - 1)).readUTF();
        throw new PeerLinkException(peer, PeerLinkException.Reason.REFUSED, peer + "'s node refused " + self + "'s link for job " + job + ": " + reason);
      }
      throw new PeerLinkException(peer, PeerLinkException.Reason.MALFORMED, "the node " + where + " did not answer " + self
          + " in the Covenant peer-link protocol: it is not a Covenant node, or it runs an incompatible version");
    } catch (IOException e) {
      tls.close(false);
      throw PeerFailure.left(self, peer, e);
    } catch (RuntimeException e) {
      tls.close(false);
      throw e;
    }
  }

  /**
   * Binds this node's listening socket for peer links. One listener serves every job and every peer of the node: each
   * arriving connection is matched to the job and organisation that {@link Listener#accept} waits for. Use port 0 for
   * an ephemeral port and give {@link Listener#address()} to the peers.
   */
  public static Listener listen(MutualTls identity, InetSocketAddress bindAddress, Duration peerTimeout) {
    requireArguments(identity, peerTimeout);
    if (bindAddress == null) throw new MalformedInputException("a listener needs an address to bind, e.g. 0.0.0.0 and port 0");
    ServerSocket server;
    try {
      server = new ServerSocket();
      server.bind(bindAddress, 64);
    } catch (IOException e) {
      throw new CovenantException(identity.self() + " could not listen for peer links on " + bindAddress + ": " + e.getMessage()
          + "; choose a free port or use port 0", e);
    }
    Listener listener = new Listener(identity, server, peerTimeout);
    listener.start();
    return listener;
  }

  /** A node's listening socket for peer links, shared by all its jobs. */
  public static final class Listener implements AutoCloseable {
    private final MutualTls identity;
    private final ServerSocket server;
    private final Duration timeout;
    private final Object lock = new Object();
    /** (job, organisation) → the accept call waiting for it. */
    private final Map<Key, CompletableFuture<Arrival>> waiting = new HashMap<>();
    /** Jobs with an accept call in progress, and every organisation that call expects. */
    private final Map<JobId, Set<OrgId>> expectedByJob = new HashMap<>();
    /** Connections admitted by TLS whose job has not called accept yet. */
    private final Map<Key, Arrival> parked = new HashMap<>();
    /** The last job each organisation connected for, and refusals, to explain a missing peer. */
    private final Map<OrgId, JobId> lastJobOf = new HashMap<>();
    private final Map<JobId, List<String>> refusalsByJob = new HashMap<>();
    private volatile boolean closed;

    private Listener(MutualTls identity, ServerSocket server, Duration timeout) {
      this.identity = identity;
      this.server = server;
      this.timeout = timeout;
    }

    private void start() {
      Thread.ofPlatform().daemon().name(identity.self() + "-peer-listener").start(this::acceptLoop);
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Waits at most the peer timeout for {@code peer} to connect for {@code job}. */
    public PeerLink accept(JobId job, OrgId peer) {
      return acceptAll(job, Set.of(peer)).get(peer);
    }

    /**
     * Waits at most the peer timeout for every one of {@code peers} to connect for {@code job}, in any order, and
     * returns their links. A job's peers are accepted in one call: while it waits, an organisation that connects for
     * this job but is not among {@code peers} is refused at once, with a message naming it and the expected ones.
     *
     * @throws PeerLinkException UNREACHABLE naming the first organisation that did not connect in time (and the job it
     *     connected for instead, or why it was refused, if it tried); no link is kept then
     */
    public Map<OrgId, PeerLink> acceptAll(JobId job, Set<OrgId> peers) {
      if (job == null || peers == null || peers.isEmpty()) throw new MalformedInputException("accept needs a job and the organisations it expects");
      if (peers.contains(identity.self())) throw new MalformedInputException(identity.self() + " cannot accept a peer link from itself");
      Map<OrgId, CompletableFuture<Arrival>> futures = new LinkedHashMap<>();
      synchronized (lock) {
        if (closed) throw new CovenantException(identity.self() + "'s peer listener is closed; start a new one");
        if (expectedByJob.containsKey(job)) {
          throw new MalformedInputException("job " + job + " is already accepting its peers on " + identity.self()
              + "'s node: accept all of a job's peers in one call");
        }
        expectedByJob.put(job, new LinkedHashSet<>(peers));
        for (OrgId peer : peers) {
          Key key = new Key(job, peer);
          CompletableFuture<Arrival> f = new CompletableFuture<>();
          Arrival early = parked.remove(key);
          if (early != null && early.claim()) f.complete(early);
          else waiting.put(key, f);
          futures.put(peer, f);
        }
      }
      Map<OrgId, PeerLink> links = new LinkedHashMap<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        for (var e : futures.entrySet()) {
          Arrival a;
          try {
            a = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (TimeoutException te) {
            throw missing(job, e.getKey());
          } catch (ExecutionException ee) {
            throw PeerFailure.cancelled(identity.self(), e.getKey());
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw PeerFailure.interrupted(identity.self(), e.getKey());
          }
          links.put(e.getKey(), a.admit(identity.self(), timeout));
        }
        return Map.copyOf(links);
      } catch (RuntimeException failure) {
        links.values().forEach(PeerLink::close);
        synchronized (lock) {
          for (var e : futures.entrySet()) {
            waiting.remove(new Key(job, e.getKey()));
            // A connection claimed for this call but not admitted is told why, not left hanging.
            if (!e.getValue().isDone() || e.getValue().isCompletedExceptionally() || links.containsKey(e.getKey())) continue;
            e.getValue().join().tellRefused(identity.self() + " stopped waiting for it: the job failed on this node first");
          }
        }
        throw failure;
      } finally {
        synchronized (lock) {
          expectedByJob.remove(job);
          refusalsByJob.remove(job);
        }
      }
    }

    private PeerLinkException missing(JobId job, OrgId peer) {
      StringBuilder why = new StringBuilder();
      synchronized (lock) {
        JobId other = lastJobOf.get(peer);
        if (other != null && !other.equals(job)) {
          why.append("; it connected for job ").append(other).append(" instead: the two nodes were given different job ids");
        }
        for (String r : refusalsByJob.getOrDefault(job, List.of())) why.append("; refused: ").append(r);
      }
      return new PeerLinkException(peer, PeerLinkException.Reason.UNREACHABLE, peer + " did not connect to " + identity.self()
          + " for job " + job + " within " + timeout.toMillis() + " ms" + why + ": start that node's side of the job, or check the "
          + "address and the job id it was given");
    }

    private void acceptLoop() {
      while (!closed) {
        Socket raw;
        try {
          raw = server.accept();
        } catch (IOException e) {
          if (closed) return;
          continue;
        }
        Thread.ofPlatform().daemon().name(identity.self() + "-peer-handshake").start(() -> handshake(raw));
      }
    }

    /** TLS, then the job handshake; then hands the connection to the accept call that waits for it, or parks it. */
    private void handshake(Socket raw) {
      TlsSockets tls;
      try {
        raw.setTcpNoDelay(true);
        tls = TlsSockets.handshake(identity, raw, false, timeout);
      } catch (IOException | RuntimeException e) {
        return; // The dialler learns from its own handshake; nothing was admitted.
      }
      Arrival arrival;
      try {
        DataInputStream in = new DataInputStream(new BufferedInputStream(tls.tls().getInputStream(), BUFFER_BYTES));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(tls.tls().getOutputStream(), BUFFER_BYTES));
        byte[] hello = readFrame(in, MAX_HELLO_BYTES);
        DataInputStream h = new DataInputStream(new ByteArrayInputStream(hello));
        if (hello.length < Long.BYTES || h.readLong() != HELLO_MAGIC) {
          tls.close(false);
          return;
        }
        JobId job = new JobId(h.readUTF());
        OrgId meant = OrgId.of(h.readUTF());
        arrival = new Arrival(tls, in, out, job);
        if (!meant.equals(identity.self())) {
          arrival.refuse("it dialled this address to reach " + meant + ", but this is " + identity.self() + "'s node: check the address it was given");
          return;
        }
      } catch (IOException | RuntimeException e) {
        tls.close(false);
        return;
      }
      OrgId from = tls.peer();
      Key key = new Key(arrival.job, from);
      Set<JobId> expectedJobs = new LinkedHashSet<>(); // jobs that wait for this organisation, to explain a refusal
      synchronized (lock) {
        lastJobOf.put(from, arrival.job);
        CompletableFuture<Arrival> waiter = waiting.remove(key);
        if (waiter != null) {
          if (arrival.claim()) waiter.complete(arrival);
          return;
        }
        Set<OrgId> expected = expectedByJob.get(arrival.job);
        if (expected != null) {
          String reason = identity.self() + " expects " + String.join(", ", expected.stream().map(OrgId::value).toList()) + " for job "
              + arrival.job + ", not " + from + (expected.contains(from) ? " a second time" : "");
          refusalsByJob.computeIfAbsent(arrival.job, j -> new ArrayList<>()).add(reason);
          arrival.refuse(reason);
          return;
        }
        Arrival previous = parked.put(key, arrival);
        if (previous != null) previous.refuse("a newer connection from " + from + " for job " + arrival.job + " replaced it");
        expectationsOf(from, expectedJobs);
      }
      // Not claimed yet: the job may start on this node a moment later. Hold the connection for one peer timeout.
      try {
        Thread.sleep(timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (lock) {
        parked.remove(key, arrival);
        expectationsOf(from, expectedJobs);
        String expectations = String.join(", ", expectedJobs.stream().map(JobId::value).toList());
        arrival.refuse("no job " + arrival.job + " on " + identity.self() + "'s node accepted " + from + " within " + timeout.toMillis() + " ms"
            + (expectations.isEmpty() ? "" : " (it expects " + from + " for job " + expectations + ")")
            + ": the two nodes were given different job ids, or the job was not started on " + identity.self() + "'s node");
      }
    }

    /** Connections through TLS and the hello whose job has not accepted them yet. */
    int heldConnections() {
      synchronized (lock) {
        return parked.size();
      }
    }

    /** Adds the jobs now waiting for {@code org} to {@code into}; called with the lock held. */
    private void expectationsOf(OrgId org, Set<JobId> into) {
      for (var e : expectedByJob.entrySet()) {
        if (e.getValue().contains(org)) into.add(e.getKey());
      }
    }

    /** Stops listening; connections not yet admitted are closed. Links already returned stay open. */
    @Override
    public void close() {
      List<Arrival> dropped;
      synchronized (lock) {
        if (closed) return;
        closed = true;
        dropped = new ArrayList<>(parked.values());
        parked.clear();
        waiting.values().forEach(f -> f.completeExceptionally(new CovenantException("listener closed")));
        waiting.clear();
      }
      dropped.forEach(a -> a.refuse(identity.self() + "'s node stopped listening for peer links"));
      try {
        server.close();
      } catch (IOException ignored) {
        // Nothing listens any more either way.
      }
    }

    @Override
    public String toString() {
      return "TlsPeerLinks.Listener[" + identity.self() + " at " + address() + "]";
    }
  }

  private record Key(JobId job, OrgId org) {}

  /** A connection through TLS and the hello, waiting to be admitted to its job or refused. Exactly one of the two. */
  private static final class Arrival {
    private final TlsSockets tls;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final JobId job;
    private final AtomicBoolean decided = new AtomicBoolean();

    Arrival(TlsSockets tls, DataInputStream in, DataOutputStream out, JobId job) {
      this.tls = tls;
      this.in = in;
      this.out = out;
      this.job = job;
    }

    /** Reserves this connection for an accept call; false if it was already refused. */
    boolean claim() {
      return decided.compareAndSet(false, true);
    }

    PeerLink admit(OrgId self, Duration timeout) {
      try {
        writeFrame(out, new byte[] {ADMITTED});
        out.flush();
      } catch (IOException e) {
        tls.close(false);
        throw PeerFailure.left(self, tls.peer(), e);
      }
      return new Link(tls, self, tls.peer(), timeout, in, out);
    }

    /** Tells the dialler why, then closes; a no-op if it was already claimed or refused. */
    void refuse(String reason) {
      if (decided.compareAndSet(false, true)) tellRefused(reason);
    }

    void tellRefused(String reason) {
      try {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte(REFUSED);
        d.writeUTF(reason.length() > 1000 ? reason.substring(0, 1000) + "…" : reason);
        writeFrame(out, b.toByteArray());
        out.flush();
      } catch (IOException ignored) {
        // The dialler is gone already.
      }
      tls.close(false);
    }
  }

  /** One admitted connection: its {@link FrameWriter} writes, a reader thread fills the inbox. */
  private static final class Link implements PeerLink {
    /** What the reader thread hands over: a frame, or how the stream ended. */
    private record Inbound(byte[] frame, PeerLinkException end, boolean selfClosed) {}

    private final TlsSockets tls;
    private final OrgId self;
    private final OrgId peer;
    private final Duration timeout;
    private final DataInputStream in;
    private final OutputStream out;
    private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
    private final FrameWriter writer;
    private volatile boolean closed;
    private PeerLinkException ended;

    Link(TlsSockets tls, OrgId self, OrgId peer, Duration timeout, DataInputStream in, OutputStream out) {
      this.tls = tls;
      this.self = self;
      this.peer = peer;
      this.timeout = timeout;
      this.in = in;
      this.out = out;
      try {
        // The reader waits for as long as the peer is quiet; a receive's own deadline is what reports silence.
        tls.raw().setSoTimeout(0);
      } catch (IOException e) {
        tls.close(false);
        throw PeerFailure.left(self, peer, e);
      }
      this.writer = new FrameWriter(out, self + "-to-" + peer);
      Thread.ofPlatform().daemon().name(self + "-from-" + peer).start(this::fill);
    }

    private void fill() {
      try {
        while (true) {
          int n = in.readInt();
          if (n < 0 || n > MAX_FRAME_BYTES) {
            inbox.add(new Inbound(null, PeerFailure.oversizedFrame(self, peer, n), false));
            tls.close(false);
            return;
          }
          byte[] frame = new byte[n];
          in.readFully(frame);
          inbox.add(new Inbound(frame, null, false));
        }
      } catch (IOException e) {
        inbox.add(closed ? new Inbound(null, null, true) : new Inbound(null, PeerFailure.left(self, peer, e instanceof EOFException ? null : e), false));
      }
    }

    @Override
    public OrgId self() {
      return self;
    }

    @Override
    public OrgId peer() {
      return peer;
    }

    @Override
    public void send(byte[] frame) {
      if (closed) throw PeerFailure.sendAfterClose(self, peer);
      if (frame.length > MAX_FRAME_BYTES) throw PeerFailure.frameTooLarge(self, peer, frame.length);
      if (writer.failure() != null) throw PeerFailure.sendFailed(self, peer, writer.failure());
      byte[] encoded = new byte[Integer.BYTES + frame.length];
      ByteBuffer.wrap(encoded).putInt(frame.length).put(frame);
      writer.enqueue(encoded);
    }

    @Override
    public synchronized byte[] receive() {
      if (closed) throw PeerFailure.cancelled(self, peer);
      if (ended != null) throw again(ended);
      Inbound m;
      try {
        m = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw PeerFailure.interrupted(self, peer);
      }
      if (m == null) throw PeerFailure.silent(self, peer, timeout);
      if (m.selfClosed() || closed) throw PeerFailure.cancelled(self, peer);
      if (m.end() != null) {
        ended = m.end();
        throw m.end();
      }
      return m.frame();
    }

    private static PeerLinkException again(PeerLinkException e) {
      return new PeerLinkException(e.peer(), e.reason(), e.getMessage(), e.getCause());
    }

    /** Lets the writer flush for at most the peer timeout, then closes the connection; the peer learns that this side left. */
    @Override
    public void close() {
      if (closed) return;
      closed = true;
      boolean stuck = writer.finish(timeout);
      tls.close(stuck);
      writer.interrupt();
      inbox.add(new Inbound(null, null, true)); // wakes a receive waiting on another thread
    }

    @Override
    public String toString() {
      return "TlsPeerLink[" + self + " -> " + peer + "]";
    }
  }

  private static Socket dial(OrgId self, OrgId peer, InetSocketAddress address, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Socket s = new Socket();
      try {
        long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        s.connect(address, (int) Math.min(remainingMillis, Integer.MAX_VALUE));
        s.setTcpNoDelay(true);
        return s;
      } catch (ConnectException | SocketTimeoutException e) {
        TlsSockets.closeQuietly(s);
        // The peer's node may not be listening yet; keep trying until the timeout.
        if (System.nanoTime() >= deadline) throw PeerFailure.unreachable(self, peer, address.toString(), timeout, e);
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw PeerFailure.interrupted(self, peer);
        }
      } catch (IOException e) {
        TlsSockets.closeQuietly(s);
        throw PeerFailure.unreachable(self, peer, address.toString(), timeout, e);
      }
    }
  }

  private static byte[] hello(JobId job, OrgId meant) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeLong(HELLO_MAGIC);
    d.writeUTF(job.value());
    d.writeUTF(meant.value());
    return b.toByteArray();
  }

  private static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
    out.writeInt(frame.length);
    out.write(frame);
  }

  private static byte[] readFrame(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) throw new IOException("a handshake frame of " + n + " bytes, over the limit of " + max);
    byte[] frame = new byte[n];
    in.readFully(frame);
    return frame;
  }

  private static void requireArguments(MutualTls identity, Duration peerTimeout) {
    if (identity == null) throw new MalformedInputException("a peer link needs this organisation's mutual-TLS identity (MutualTls)");
    if (peerTimeout == null || peerTimeout.isNegative() || peerTimeout.isZero() || peerTimeout.toMillis() > Integer.MAX_VALUE / 4) {
      throw new MalformedInputException("the peer timeout must be positive and under 6 days, e.g. Duration.ofSeconds(10)");
    }
  }
}

package io.covenant.mpc.transport;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.identity.MutualTls;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * A party's two links over TCP: plaintext on the loopback interface, or TLS 1.3 with mutual authentication between
 * hosts ({@link #listen(Party, Committee, InetSocketAddress, Duration, MutualTls)}). Party i connects to party i+1 and
 * accepts party i-1, so
 * the three parties form one connection per neighbouring pair. Each message is one frame: a 4-byte big-endian word
 * count n, then n 8-byte big-endian words. A handshake frame (magic, sender's party index, committee fingerprint) on
 * each new connection, answered by the accepting side, makes a misconfigured node fail at once with a clear error.
 *
 * <p>Sends go through a writer thread per link, so that all three parties can send a large vector before any of them
 * reads (a blocking write on every link at once would deadlock the ring once the kernel buffers fill). Receives block
 * the caller for at most the peer timeout of inactivity.
 *
 * <p><b>Plaintext mode</b> ({@link #listen(Party, Committee, InetSocketAddress, Duration)}): shares travel
 * unencrypted, so only loopback addresses are accepted; for tests and single-machine benchmarks. <b>TLS mode</b>: each
 * connection is TLS 1.3 with both sides presenting their consortium certificates ({@link MutualTls}, RFC 8446), and
 * before the committee handshake each side checks that the neighbour's certificate names the organisation the committee
 * puts in that seat (the dialling side checks party i+1, the accepting side party i-1); anything else is refused with
 * {@link PeerUnavailableException.Reason#REFUSED} naming the seat, the expected and the presented organisation. Between
 * hosts only the TLS mode is used.
 */
public final class TcpPartyChannel implements PartyChannel {
  /** The largest message, in 64-bit words (1 GiB). Larger vectors must be processed in batches. */
  public static final int MAX_WORDS = 1 << 27;
  private static final long HELLO_MAGIC = 0x436f76656e4d5043L; // "CovenMPC"; changes with the frame format
  private static final int BUFFER_BYTES = 1 << 16;

  private final Party self;
  private final Committee committee;
  private final Duration timeout;
  private final Link toNext;
  private final Link toPrevious;
  private volatile boolean closed;

  private TcpPartyChannel(Party self, Committee committee, Duration timeout, Link toNext, Link toPrevious) {
    this.self = self;
    this.committee = committee;
    this.timeout = timeout;
    this.toNext = toNext;
    this.toPrevious = toPrevious;
  }

  /**
   * Binds this party's listening socket. Use port 0 for an ephemeral port and pass {@link Listener#address()} to the
   * previous party. Nothing is exchanged until {@link Listener#connect}.
   */
  public static Listener listen(Party self, Committee committee, InetSocketAddress bindAddress, Duration peerTimeout) {
    requireLoopback(bindAddress, "listen on");
    return bind(self, committee, bindAddress, peerTimeout, null);
  }

  /**
   * Binds this party's listening socket for the TLS mode: {@code identity} is this organisation's certificate and key,
   * and must be the organisation the committee puts in seat {@code self}. Any address may be used.
   */
  public static Listener listen(Party self, Committee committee, InetSocketAddress bindAddress, Duration peerTimeout, MutualTls identity) {
    if (identity == null) throw new MalformedInputException("the TLS mode needs this organisation's mutual-TLS identity (MutualTls)");
    if (committee != null && self != null && !identity.self().equals(committee.member(self))) {
      throw new MalformedInputException("the committee puts " + committee.member(self) + " in " + self + ", but this node's certificate is "
          + identity.self() + "'s: start it as the party the committee gives its organisation");
    }
    if (bindAddress == null) throw new MalformedInputException("a party needs an address to listen on, e.g. 0.0.0.0 and port 0");
    return bind(self, committee, bindAddress, peerTimeout, identity);
  }

  private static Listener bind(Party self, Committee committee, InetSocketAddress bindAddress, Duration peerTimeout, MutualTls identity) {
    if (peerTimeout == null || peerTimeout.isNegative() || peerTimeout.isZero() || peerTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new MalformedInputException("the peer timeout must be positive and under 24 days, e.g. Duration.ofSeconds(10)");
    }
    try {
      ServerSocket server = new ServerSocket();
      server.bind(bindAddress, 1);
      return new Listener(self, committee, peerTimeout, server, identity);
    } catch (IOException e) {
      throw new CovenantException(committee.describe(self) + " could not listen on " + bindAddress
          + ": " + e.getMessage() + "; choose a free port or use port 0", e);
    }
  }

  /** A party's bound but not yet connected endpoint. */
  public static final class Listener implements AutoCloseable {
    private final Party self;
    private final Committee committee;
    private final Duration timeout;
    private final ServerSocket server;
    private final MutualTls identity; // null in plaintext mode

    private Listener(Party self, Committee committee, Duration timeout, ServerSocket server, MutualTls identity) {
      this.self = self;
      this.committee = committee;
      this.timeout = timeout;
      this.server = server;
      this.identity = identity;
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /**
     * Connects to the next party's listener and accepts the previous party, each within the peer timeout. The three
     * parties call this concurrently. The listener is closed afterwards, whatever happens.
     */
    public TcpPartyChannel connect(InetSocketAddress nextPartyAddress) {
      if (identity == null) requireLoopback(nextPartyAddress, "connect to");
      else if (nextPartyAddress == null) throw new MalformedInputException(committee.describe(self) + " needs the address of " + committee.describe(self.next()));
      // The previous party is accepted on a thread of its own while this one dials: a TLS handshake needs the
      // accepting side to take part, and every party dials before it accepts, so doing both in turn would deadlock.
      CompletableFuture<Link> previous = new CompletableFuture<>();
      Thread.ofPlatform().daemon().name("mpc-" + self.index() + "-accept").start(() -> {
        try {
          previous.complete(secure(acceptPrevious(), false, self.previous(), "to connect to it"));
        } catch (Throwable t) {
          previous.completeExceptionally(t);
        }
      });
      Link toNext = null;
      Link toPrevious = null;
      try {
        toNext = secure(dial(nextPartyAddress), true, self.next(), "at " + nextPartyAddress);
        toNext.sendNow(hello());
        toPrevious = await(previous);
        checkHello(toPrevious.receive(), self.previous());
        toPrevious.sendNow(hello());
        checkHello(toNext.receive(), self.next());
        toNext.startWriter();
        toPrevious.startWriter();
        toNext.established = true;
        toPrevious.established = true;
        return new TcpPartyChannel(self, committee, timeout, toNext, toPrevious);
      } catch (RuntimeException e) {
        if (toNext != null) toNext.close(Duration.ZERO);
        if (toPrevious != null) toPrevious.close(Duration.ZERO);
        close(); // ends a pending accept
        previous.thenAccept(link -> link.close(Duration.ZERO)); // and releases one that completes after all
        throw e;
      } finally {
        close();
      }
    }

    private Link await(CompletableFuture<Link> previous) {
      try {
        return previous.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) throw re;
        throw new CovenantException(committee.describe(self) + " could not accept " + committee.describe(self.previous()) + ": " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw PeerFailure.interrupted(committee, self, self.previous());
      }
    }

    private Socket dial(InetSocketAddress address) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Socket s = new Socket();
        try {
          long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
          s.connect(address, (int) Math.min(remainingMillis, Integer.MAX_VALUE));
          configure(s);
          return s;
        } catch (ConnectException | SocketTimeoutException e) {
          closeQuietly(s);
          // The next party may not be listening yet; keep trying until the timeout, as a node restart would need.
          if (System.nanoTime() >= deadline) {
            throw PeerFailure.unreachable(committee, self, self.next(), address.toString(), timeout, e);
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw PeerFailure.interrupted(committee, self, self.next());
          }
        } catch (IOException e) {
          closeQuietly(s);
          throw PeerFailure.unreachable(committee, self, self.next(), address.toString(), timeout, e);
        }
      }
    }

    /**
     * In TLS mode, runs the handshake on {@code raw} and checks that the certificate names the organisation the
     * committee puts in {@code peer}'s seat; in plaintext mode, wraps {@code raw} as it is.
     */
    private Link secure(Socket raw, boolean dialled, Party peer, String where) {
      if (identity == null) return new Link(raw, raw, self, peer, committee, timeout);
      TlsSockets tls;
      try {
        tls = TlsSockets.handshake(identity, raw, dialled, timeout);
      } catch (SocketTimeoutException e) {
        throw dialled ? PeerFailure.unreachable(committee, self, peer, where.substring(3), timeout, e)
            : PeerFailure.silent(committee, self, peer, timeout);
      } catch (IOException e) {
        throw PeerFailure.tlsRefused(committee, self, peer, where, e);
      } catch (CovenantException e) {
        throw PeerFailure.tlsRefused(committee, self, peer, where, e);
      }
      if (!tls.peer().equals(committee.member(peer))) {
        tls.close(false);
        throw PeerFailure.wrongOrganisation(committee, self, peer, tls.peer(), where);
      }
      return new Link(tls.tls(), raw, self, peer, committee, timeout);
    }

    private Socket acceptPrevious() {
      try {
        server.setSoTimeout((int) timeout.toMillis());
        Socket s = server.accept();
        configure(s);
        return s;
      } catch (IOException e) {
        throw PeerFailure.unreachable(committee, self, self.previous(), "this party's listener " + address(), timeout, e);
      }
    }

    private void configure(Socket s) throws IOException {
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) timeout.toMillis());
    }

    private long[] hello() {
      return new long[] {HELLO_MAGIC, self.index(), committee.fingerprint()};
    }

    private void checkHello(long[] hello, Party expected) {
      if (hello.length != 3 || hello[0] != HELLO_MAGIC) {
        throw new MalformedInputException("the node that connected as " + committee.describe(expected)
            + " did not speak the Covenant MPC protocol: check the addresses the parties were given");
      }
      if (hello[1] != expected.index()) {
        throw new MalformedInputException(committee.describe(self) + " expected " + committee.describe(expected) + " but party "
            + hello[1] + " connected: the parties were given each other's addresses in the wrong order");
      }
      if (hello[2] != committee.fingerprint()) {
        throw new MalformedInputException(committee.describe(expected) + " was configured with a different committee than "
            + committee.describe(self) + ": give all three nodes the same three organisations in the same order");
      }
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // Nothing listens any more either way.
      }
    }
  }

  /** One TCP connection to a neighbour: reads on the caller's thread, writes on its own thread. */
  private static final class Link {
    private final Socket socket;
    /** The TCP socket under a TLS one (the same socket in plaintext mode): closing it stops a blocked writer. */
    private final Socket raw;
    private final Party self;
    private final Party peer;
    private final Committee committee;
    private final Duration timeout;
    private final DataInputStream in;
    private final OutputStream out;
    private FrameWriter writer;
    private volatile boolean closed;
    private boolean peerLeft;
    /** Set once the committee handshake passed; before that a TLS failure means the peer refused our certificate. */
    private volatile boolean established;

    Link(Socket socket, Socket raw, Party self, Party peer, Committee committee, Duration timeout) {
      this.socket = socket;
      this.raw = raw;
      this.self = self;
      this.peer = peer;
      this.committee = committee;
      this.timeout = timeout;
      try {
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES));
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
      } catch (IOException e) {
        closeQuietly(socket);
        closeQuietly(raw);
        throw PeerFailure.left(committee, self, peer, e);
      }
    }

    /** Writes on the caller's thread; only for the handshake, before the writer thread exists. */
    void sendNow(long[] words) {
      try {
        out.write(encode(words));
        out.flush();
      } catch (IOException e) {
        throw PeerFailure.sendFailed(committee, self, peer, e);
      }
    }

    void startWriter() {
      writer = new FrameWriter(out, "mpc-" + self.index() + "-to-" + peer.index());
    }

    void send(long[] words) {
      if (closed) throw new CovenantException(committee.describe(self) + " tried to send after its channel was closed");
      if (writer.failure() != null) throw PeerFailure.sendFailed(committee, self, peer, writer.failure());
      if (words.length > MAX_WORDS) throw PeerFailure.oversized(committee, self, words.length);
      writer.enqueue(encode(words));
    }

    long[] receive() {
      if (closed) throw PeerFailure.closedLocally(committee, self, peer);
      if (peerLeft) throw PeerFailure.left(committee, self, peer, null);
      try {
        return readFrame();
      } catch (SocketTimeoutException e) {
        throw PeerFailure.silent(committee, self, peer, timeout);
      } catch (InterruptedIOException e) {
        Thread.currentThread().interrupt();
        throw PeerFailure.interrupted(committee, self, peer);
      } catch (SSLException e) {
        if (closed) throw PeerFailure.closedLocally(committee, self, peer);
        peerLeft = true;
        // In TLS 1.3 the server judges the client's certificate after the client's handshake returned: its refusal
        // arrives as an alert on the first read.
        if (!established) throw PeerFailure.tlsRefused(committee, self, peer, "over their connection", e);
        throw PeerFailure.left(committee, self, peer, e);
      } catch (IOException e) {
        if (closed) throw PeerFailure.closedLocally(committee, self, peer);
        peerLeft = true;
        throw PeerFailure.left(committee, self, peer, e);
      }
    }

    private long[] readFrame() throws IOException {
      int n = in.readInt();
      if (n < 0 || n > MAX_WORDS) throw PeerFailure.oversized(committee, peer, n);
      byte[] body = new byte[n * Long.BYTES];
      in.readFully(body);
      long[] words = new long[n];
      ByteBuffer.wrap(body).asLongBuffer().get(words);
      return words;
    }

    /** Lets the writer flush for at most {@code flushTimeout}, then closes the socket, waking a blocked reader. */
    void close(Duration flushTimeout) {
      closed = true;
      boolean stuck = writer != null && writer.finish(flushTimeout);
      // A writer still blocked (the peer stopped reading) holds the TLS write lock: only closing the TCP socket frees it.
      if (socket == raw) closeQuietly(socket);
      else TlsSockets.closeTls(socket, raw, stuck);
      if (writer != null) writer.interrupt();
    }
  }

  private static byte[] encode(long[] words) {
    byte[] frame = new byte[Integer.BYTES + words.length * Long.BYTES];
    ByteBuffer b = ByteBuffer.wrap(frame);
    b.putInt(words.length);
    b.asLongBuffer().put(words);
    return frame;
  }

  private static void requireLoopback(InetSocketAddress address, String action) {
    if (address == null || address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
      throw new MalformedInputException("cannot " + action + " " + address + ": the TCP transport sends shares unencrypted and only "
          + "accepts loopback addresses such as 127.0.0.1; parties on different hosts need a mutually authenticated TLS transport");
    }
  }

  private static void closeQuietly(Socket s) {
    if (s == null) return;
    try {
      s.close();
    } catch (IOException ignored) {
      // Already broken; the caller reports the original failure.
    }
  }

  @Override
  public Party self() {
    return self;
  }

  @Override
  public Committee committee() {
    return committee;
  }

  @Override
  public void sendToNext(long[] words) {
    toNext.send(words);
  }

  @Override
  public void sendToPrevious(long[] words) {
    toPrevious.send(words);
  }

  @Override
  public long[] receiveFromNext() {
    return toNext.receive();
  }

  @Override
  public long[] receiveFromPrevious() {
    return toPrevious.receive();
  }

  /** Flushes what was sent (waiting at most the peer timeout), then closes both connections. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    toNext.close(timeout);
    toPrevious.close(timeout);
  }

  @Override
  public String toString() {
    return "TcpPartyChannel[" + committee.describe(self) + "]";
  }
}

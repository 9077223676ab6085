package io.covenant.mpc.spdz;

import dk.alexandra.fresco.framework.network.Network;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * FRESCO's {@link Network} over Covenant's peer links (mutual TLS with the organisations' certificates between nodes,
 * or in-process links in tests): the identities, the encryption and the timeouts stay Covenant's, never FRESCO's plain
 * sockets. SPDZ needs several independent conversations between the same parties (the online phase, and MASCOT's
 * preprocessing that runs in the middle of it, on its own channels), so each frame carries a one-byte channel tag and
 * {@link #channel} hands out one {@link Network} per tag over the same links. Frames of another channel that arrive
 * while a channel waits are kept in order for it.
 *
 * <p>FRESCO numbers parties from 1: party {@code i} is {@code parties.get(i - 1)}. A party sends to itself too
 * ({@link Network#sendToAll}); those frames stay in this object. One party's computation runs on one thread at a time;
 * the methods are synchronized so a misuse cannot interleave two frames.
 */
public final class LinkNetworks implements AutoCloseable {
  /** The channel of the online phase. */
  public static final byte ONLINE = 0;
  /** MASCOT's base oblivious transfers. */
  public static final byte BASE_OT = 1;
  /** MASCOT's triples, bits and input masks. */
  public static final byte TRIPLES = 2;
  /** MASCOT's exponentiation pipes (a small SPDZ computation of their own). */
  public static final byte PIPES = 3;

  private final List<OrgId> parties;
  private final int self;
  private final Map<Integer, PeerLink> links;
  private final Map<Long, ArrayDeque<byte[]>> waiting = new HashMap<>();
  private long bytesSent;

  /**
   * @param parties every party in FRESCO's order (party 1 first)
   * @param self this organisation, one of {@code parties}
   * @param links this organisation's link to every other party
   */
  public LinkNetworks(List<OrgId> parties, OrgId self, Map<OrgId, PeerLink> links) {
    this.parties = List.copyOf(parties);
    int index = this.parties.indexOf(self);
    if (index < 0) throw new MalformedInputException(self + " is not one of the parties " + parties);
    this.self = index + 1;
    this.links = new HashMap<>();
    for (int i = 0; i < this.parties.size(); i++) {
      OrgId p = this.parties.get(i);
      if (p.equals(self)) continue;
      PeerLink link = links.get(p);
      if (link == null) throw new MalformedInputException(self + " has no link to " + p + ", party " + (i + 1) + " of " + parties);
      this.links.put(i + 1, link);
    }
  }

  /** This party's FRESCO id (1-based). */
  public int selfId() {
    return self;
  }

  public List<OrgId> parties() {
    return parties;
  }

  /** The organisation that is FRESCO party {@code id}. */
  public OrgId party(int id) {
    return parties.get(id - 1);
  }

  /** Bytes this party sent on every channel so far. */
  public synchronized long bytesSent() {
    return bytesSent;
  }

  /** The network of one channel. */
  public Network channel(byte tag) {
    return new Network() {
      @Override
      public void send(int partyId, byte[] data) {
        LinkNetworks.this.send(tag, partyId, data);
      }

      @Override
      public byte[] receive(int partyId) {
        return LinkNetworks.this.receive(tag, partyId);
      }

      @Override
      public int getNoOfParties() {
        return parties.size();
      }
    };
  }

  private synchronized void send(byte tag, int partyId, byte[] data) {
    if (partyId == self) {
      queue(tag, partyId).add(data.clone());
      return;
    }
    byte[] frame = new byte[data.length + 1];
    frame[0] = tag;
    System.arraycopy(data, 0, frame, 1, data.length);
    link(partyId).send(frame);
    bytesSent += frame.length;
  }

  private synchronized byte[] receive(byte tag, int partyId) {
    ArrayDeque<byte[]> mine = queue(tag, partyId);
    if (!mine.isEmpty()) return mine.poll();
    if (partyId == self) throw new IllegalStateException("party " + self + " waits for a frame from itself on channel " + tag + " that it never sent");
    PeerLink link = link(partyId);
    while (true) {
      byte[] frame = link.receive();
      if (frame.length < 1 || frame[0] < ONLINE || frame[0] > PIPES) {
        throw new PeerLinkException(link.peer(), PeerLinkException.Reason.MALFORMED, link.peer() + " sent " + link.self()
            + " a frame on no SPDZ channel: it runs another protocol or an incompatible version; the computation stops");
      }
      byte[] data = java.util.Arrays.copyOfRange(frame, 1, frame.length);
      if (frame[0] == tag) return data;
      queue(frame[0], partyId).add(data);
    }
  }

  private ArrayDeque<byte[]> queue(byte tag, int partyId) {
    return waiting.computeIfAbsent(((long) partyId << 8) | tag, k -> new ArrayDeque<>());
  }

  private PeerLink link(int partyId) {
    PeerLink link = links.get(partyId);
    if (link == null) throw new MalformedInputException("there is no party " + partyId + " among the " + parties.size() + " parties " + parties);
    return link;
  }

  /** Closes every link. */
  @Override
  public void close() {
    for (PeerLink l : links.values()) l.close();
  }
}

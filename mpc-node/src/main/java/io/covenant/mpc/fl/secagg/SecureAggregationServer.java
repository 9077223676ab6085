package io.covenant.mpc.fl.secagg;

import io.covenant.core.crypto.SecAggKeyAgreement;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.wire.FrameReader;
import io.covenant.mpc.fl.wire.FrameWriter;
import io.covenant.mpc.fl.wire.MessageKind;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregator's side of secure aggregation (Bonawitz et al., ACM CCS 2017, Figure 4, semi-honest; see
 * {@link SecureAggregationClient} for the hospitals' side and the per-hospital cost). It relays keys and sealed shares,
 * collects masked inputs from U3, and in the unmasking round gathers, from at least t hospitals, shares of the
 * self-mask seed b_u of every u ∈ U3 and of the masking key s_u^SK of every u ∈ U2 \ U3, then computes
 *
 * <pre>  z = Σ_{u∈U3} y_u − Σ_{u∈U3} PRG(b_u) − Σ_{u∈U3, v∈U2\U3} ±PRG(KA(s_v^SK, s_u^PK))  (mod 2^64)</pre>
 *
 * which is exactly Σ_{u∈U3} x_u: pairwise masks between two contributors cancel; those towards a hospital that
 * dropped before sending its input are recomputed from its reconstructed key. It learns nothing else about any x_u,
 * provided fewer than t hospitals collude with it (the Shamir threshold).
 *
 * <p><b>Cost for the aggregator</b>, n hospitals and m words: 4 round trips; it relays ~176n(n−1) bytes of sealed
 * shares; |U3| PRG expansions for self masks, plus |U3| per hospital that dropped between ShareKeys and its input;
 * one Lagrange interpolation (over 2^521 − 1) per hospital.
 *
 * <p>A hospital whose link fails at any step is named with the step. If fewer than t remain at a step, the remaining
 * hospitals get an ABORT and {@link SecureAggregationAbortedException} names everyone who dropped.
 */
public final class SecureAggregationServer {
  private static final int SECRET_BYTES = 32;
  private final List<OrgId> roster;
  private final int threshold;

  /** {@code roster}: every hospital of the job in the agreed order (index = position + 1); {@code threshold}: t. */
  public SecureAggregationServer(List<OrgId> roster, int threshold) {
    if (threshold < 2 || threshold > roster.size()) {
      throw new MalformedInputException("a secure-aggregation threshold of " + threshold + " for " + roster.size() + " hospitals: use 2 to " + roster.size());
    }
    this.roster = List.copyOf(roster);
    this.threshold = threshold;
  }

  private record Keys(byte[] encryption, byte[] masking) {}

  /** Runs one aggregation of m-word vectors among the hospitals of {@code links} (a subset of the roster). */
  public SecureSum aggregate(int round, Map<OrgId, PeerLink> links, int m) {
    Map<Integer, PeerLink> active = new TreeMap<>();
    for (Map.Entry<OrgId, PeerLink> e : links.entrySet()) {
      int i = roster.indexOf(e.getKey()) + 1;
      if (i == 0) throw new MalformedInputException(e.getKey() + " is not a hospital of this job; its hospitals are " + roster);
      active.put(i, e.getValue());
    }
    List<DroppedHospital> dropped = new ArrayList<>();

    // Round 0: AdvertiseKeys.
    Map<Integer, Keys> u1 = new TreeMap<>();
    for (int u : List.copyOf(active.keySet())) {
      FrameReader r = receive(round, u, active, dropped, "AdvertiseKeys", MessageKind.ADVERTISE_KEYS);
      if (r == null) continue;
      byte[] c = r.getBytes();
      byte[] s = r.getBytes();
      r.end();
      SecAggKeyAgreement.decodePublic(c);
      SecAggKeyAgreement.decodePublic(s);
      u1.put(u, new Keys(c, s));
    }
    requireThreshold(round, "AdvertiseKeys", active, dropped);
    FrameWriter list = FrameWriter.of(MessageKind.KEY_LIST, 100 * u1.size()).putInt(round).putInt(u1.size());
    u1.forEach((u, k) -> list.putInt(u).putBytes(k.encryption()).putBytes(k.masking()));
    broadcast(list.toBytes(), active, dropped, "ShareKeys");

    // Round 1: ShareKeys — relay u's sealed shares for v.
    Map<Integer, Map<Integer, byte[]>> sealedFor = new TreeMap<>();
    for (int v : u1.keySet()) sealedFor.put(v, new TreeMap<>());
    List<Integer> u2 = new ArrayList<>();
    for (int u : List.copyOf(active.keySet())) {
      FrameReader r = receive(round, u, active, dropped, "ShareKeys", MessageKind.SHARE_KEYS);
      if (r == null) continue;
      int count = r.getInt();
      Map<Integer, byte[]> mine = new HashMap<>();
      for (int i = 0; i < count; i++) {
        int v = r.getInt();
        byte[] ct = r.getBytes();
        if (!u1.containsKey(v) || v == u || mine.put(v, ct) != null) throw malformed(u, "sealed shares for hospital " + v + ", outside U1, itself, or twice");
      }
      r.end();
      if (mine.size() != u1.size() - 1) throw malformed(u, "shares for " + mine.size() + " hospitals where U1 has " + (u1.size() - 1) + " others");
      mine.forEach((v, ct) -> sealedFor.get(v).put(u, ct));
      u2.add(u);
    }
    requireThreshold(round, "ShareKeys", active, dropped);
    for (int v : List.copyOf(active.keySet())) {
      FrameWriter w = FrameWriter.of(MessageKind.SHARES_FOR_YOU, 200 * u2.size()).putInt(round);
      List<Integer> from = u2.stream().filter(u -> u != v).toList();
      w.putInt(from.size());
      for (int u : from) w.putInt(u).putBytes(sealedFor.get(v).get(u));
      send(w.toBytes(), v, active, dropped, "MaskedInputCollection");
    }

    // Round 2: MaskedInputCollection.
    Map<Integer, long[]> masked = new TreeMap<>();
    for (int u : List.copyOf(active.keySet())) {
      FrameReader r = receive(round, u, active, dropped, "MaskedInputCollection", MessageKind.MASKED_INPUT);
      if (r == null) continue;
      long[] y = r.getLongs();
      r.end();
      if (y.length != m) throw malformed(u, "a masked input of " + y.length + " words where " + m + " were expected");
      masked.put(u, y);
    }
    requireThreshold(round, "MaskedInputCollection", active, dropped);
    List<Integer> u3 = new ArrayList<>(masked.keySet());
    FrameWriter request = FrameWriter.of(MessageKind.UNMASK_REQUEST, 4 * u3.size() + 8).putInt(round).putInt(u3.size());
    for (int u : u3) request.putInt(u);
    broadcast(request.toBytes(), active, dropped, "Unmasking");

    // Round 4: Unmasking.
    Map<Integer, Map<Integer, byte[]>> bShares = new TreeMap<>();
    Map<Integer, Map<Integer, byte[]>> skShares = new TreeMap<>();
    for (int u : u2) (masked.containsKey(u) ? bShares : skShares).put(u, new TreeMap<>());
    int responders = 0;
    for (int v : List.copyOf(active.keySet())) {
      FrameReader r = receive(round, v, active, dropped, "Unmasking", MessageKind.UNMASK_SHARES);
      if (r == null) continue;
      int count = r.getInt();
      if (count != u2.size()) throw malformed(v, "shares for " + count + " hospitals where U2 has " + u2.size());
      for (int i = 0; i < count; i++) {
        int u = r.getInt();
        int kind = r.getInt();
        byte[] share = r.getBytes();
        boolean wantSelfMask = masked.containsKey(u);
        if (!u2.contains(u) || kind != (wantSelfMask ? 0 : 1) || share.length != ShamirSharing.SHARE_BYTES) {
          throw malformed(v, "an unmasking share for hospital " + u + " of the wrong kind or size");
        }
        (wantSelfMask ? bShares : skShares).get(u).put(v, share);
      }
      r.end();
      responders++;
    }
    if (responders < threshold) abort(round, "Unmasking", responders, active, dropped);

    long[] z = new long[m];
    for (long[] y : masked.values()) SecureAggregationClient.addInPlace(z, y, 1);
    for (int u : u3) {
      byte[] b = ShamirSharing.reconstruct(firstT(bShares.get(u)), SECRET_BYTES);
      MaskExpansion.addSelf(z, b, round, -1);
    }
    for (Map.Entry<Integer, Map<Integer, byte[]>> e : skShares.entrySet()) {
      int gone = e.getKey();
      PrivateKey sk = SecAggKeyAgreement.privateFromScalar(ShamirSharing.reconstruct(firstT(e.getValue()), SECRET_BYTES));
      for (int u : u3) {
        PublicKey su = SecAggKeyAgreement.decodePublic(u1.get(u).masking());
        MaskExpansion.addPairwise(z, SecAggKeyAgreement.agree(sk, su), round, u < gone ? -1 : 1); // u added +PRG if u < gone, −PRG otherwise
      }
    }
    List<OrgId> contributors = u3.stream().map(u -> roster.get(u - 1)).toList();
    return new SecureSum(z, contributors, dropped);
  }

  private Map<Integer, byte[]> firstT(Map<Integer, byte[]> shares) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, byte[]> e : shares.entrySet()) {
      if (out.size() == threshold) break;
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private FrameReader receive(int round, int u, Map<Integer, PeerLink> active, List<DroppedHospital> dropped, String step, MessageKind kind) {
    OrgId who = roster.get(u - 1);
    try {
      FrameReader r = FrameReader.open(who, active.get(u).receive(), kind);
      int rr = r.getInt();
      if (rr != round) throw malformed(u, "a " + kind + " message for round " + rr + " during round " + round);
      return r;
    } catch (PeerLinkException e) {
      if (e.reason() == PeerLinkException.Reason.MALFORMED) throw e;
      dropped.add(new DroppedHospital(who, step, e.getMessage()));
      active.remove(u);
      return null;
    }
  }

  private void send(byte[] frame, int u, Map<Integer, PeerLink> active, List<DroppedHospital> dropped, String step) {
    try {
      active.get(u).send(frame);
    } catch (PeerLinkException e) {
      dropped.add(new DroppedHospital(roster.get(u - 1), step, e.getMessage()));
      active.remove(u);
    }
  }

  private void broadcast(byte[] frame, Map<Integer, PeerLink> active, List<DroppedHospital> dropped, String step) {
    for (int u : List.copyOf(active.keySet())) send(frame, u, active, dropped, step);
  }

  private void requireThreshold(int round, String step, Map<Integer, PeerLink> active, List<DroppedHospital> dropped) {
    if (active.size() < threshold) abort(round, step, active.size(), active, dropped);
  }

  private void abort(int round, String step, int remaining, Map<Integer, PeerLink> active, List<DroppedHospital> dropped) {
    StringBuilder names = new StringBuilder();
    for (DroppedHospital d : dropped) names.append(names.isEmpty() ? "" : ", ").append(d.hospital()).append(" (at ").append(d.step()).append(")");
    String why = "secure aggregation of round " + round + " stopped at " + step + ": " + remaining + " hospital(s) remain where " + threshold
        + " are needed to unmask the sum; dropped: " + names + ". Nothing was unmasked: neither the sum nor any hospital's update was revealed; "
        + "rerun the round once enough hospitals are back, or raise the job's dropout tolerance";
    cancel(round, active.values(), why);
    throw new SecureAggregationAbortedException(why, dropped);
  }

  /**
   * Tells hospitals that already joined round {@code round} (and may be waiting in its first step) that it will not
   * take place, with the reason; their {@link SecureAggregationClient} throws {@link SecureAggregationAbortedException}.
   */
  public static void cancel(int round, Iterable<PeerLink> joined, String why) {
    byte[] abort = FrameWriter.of(MessageKind.ABORT, why.length() + 16).putInt(round).putString(why).toBytes();
    for (PeerLink l : joined) {
      try {
        l.send(abort);
      } catch (PeerLinkException e) {
        // A hospital that has left needs no notice.
      }
    }
  }

  private PeerLinkException malformed(int u, String what) {
    OrgId who = roster.get(u - 1);
    return new PeerLinkException(who, PeerLinkException.Reason.MALFORMED, who + " sent " + what + ": it does not follow the secure-aggregation protocol; "
        + "the round stops");
  }
}

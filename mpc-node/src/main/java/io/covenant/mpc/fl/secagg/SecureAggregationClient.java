package io.covenant.mpc.fl.secagg;

import io.covenant.core.crypto.SecAggKeyAgreement;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.wire.FrameReader;
import io.covenant.mpc.fl.wire.FrameWriter;
import io.covenant.mpc.fl.wire.MessageKind;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One hospital's side of secure aggregation, the semi-honest protocol of Bonawitz, Ivanov, Kreuter, Marcedone,
 * McMahan, Patel, Ramage, Segal and Seth, "Practical Secure Aggregation for Privacy-Preserving Machine Learning",
 * ACM CCS 2017, Figure 4 (without its round 3, ConsistencyCheck, which only the actively secure variant needs). The
 * hospital talks only to the aggregator, over its one {@link PeerLink}; messages for other hospitals are sealed to them.
 *
 * <ol>
 *   <li><b>AdvertiseKeys</b>: two fresh X25519 key pairs, (c_u) for encrypting shares and (s_u) for pairwise masks;
 *       sends both public keys.
 *   <li><b>ShareKeys</b>: receives the key list of U1 (at least t hospitals), draws the self-mask seed b_u, Shamir-shares
 *       b_u and the scalar s_u^SK t-out-of-|U1|, and sends each v its two shares sealed under KA(c_u, c_v).
 *   <li><b>MaskedInputCollection</b>: receives the shares sealed to it by U2; sends
 *       y_u = x_u + PRG(b_u) + Σ_{v∈U2, v≠u} ±PRG(KA(s_u, s_v)) mod 2^64, + when u &lt; v, − otherwise.
 *   <li><b>Unmasking</b>: receives U3 (who sent a masked input) and, checking U3 ⊆ U2 and |U3| ≥ t, sends for each
 *       v ∈ U3 its share of b_v and for each v ∈ U2 \ U3 its share of s_v^SK: never both for one v, so the aggregator
 *       can never remove both masks of a hospital that did send an input.
 * </ol>
 *
 * <p><b>Cost per hospital</b>, with n = |U1| and m words: 4 round trips; sent 8m + ~250n + ~100 bytes (masked input
 * 8m; sealed shares 176 bytes per other hospital; unmasking shares 75 bytes per hospital; two 44-byte public keys),
 * received ~280n bytes plus the model; n − 1 X25519 agreements for masks and n − 1 for share encryption, n PRG
 * expansions of m words (AES-128-CTR).
 */
public final class SecureAggregationClient {
  private static final int SECRET_BYTES = 32;

  private final PeerLink aggregator;
  private final List<OrgId> roster;
  private final int self;
  private final int threshold;
  private final SecureRandom random;

  /**
   * @param roster every hospital of the job in the agreed order; this hospital is {@code roster.get(selfIndex - 1)}
   * @param threshold t: the least number of hospitals whose shares recover a secret, and whose inputs make up a sum
   */
  public SecureAggregationClient(PeerLink toAggregator, List<OrgId> roster, int selfIndex, int threshold, SecureRandom random) {
    if (selfIndex < 1 || selfIndex > roster.size() || !roster.get(selfIndex - 1).equals(toAggregator.self())) {
      throw new MalformedInputException(toAggregator.self() + " is not hospital " + selfIndex + " of the roster " + roster);
    }
    if (threshold < 2 || threshold > roster.size()) {
      throw new MalformedInputException("a secure-aggregation threshold of " + threshold + " for " + roster.size() + " hospitals: use 2 to " + roster.size());
    }
    this.aggregator = toAggregator;
    this.roster = List.copyOf(roster);
    this.self = selfIndex;
    this.threshold = threshold;
    this.random = random;
  }

  private record Keys(PublicKey encryption, PublicKey masking) {}

  /** Runs the four rounds for this aggregation with input x; returns once the unmasking shares are sent. */
  public void contribute(int round, long[] x) {
    OrgId server = aggregator.peer();
    KeyPair c = SecAggKeyAgreement.generate(random);
    KeyPair s = SecAggKeyAgreement.generate(random);
    aggregator.send(FrameWriter.of(MessageKind.ADVERTISE_KEYS, 100).putInt(round).putBytes(SecAggKeyAgreement.encode(c.getPublic()))
        .putBytes(SecAggKeyAgreement.encode(s.getPublic())).toBytes());

    // Round 1: ShareKeys.
    FrameReader keyList = expect(round, MessageKind.KEY_LIST);
    int count = keyList.getInt();
    TreeMap<Integer, Keys> u1 = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      int v = keyList.getInt();
      byte[] cv = keyList.getBytes();
      byte[] sv = keyList.getBytes();
      if (v < 1 || v > roster.size() || u1.containsKey(v)) throw malformed("a key list naming hospital " + v + " twice or outside the roster");
      u1.put(v, new Keys(SecAggKeyAgreement.decodePublic(cv), SecAggKeyAgreement.decodePublic(sv)));
    }
    keyList.end();
    if (!u1.containsKey(self) || !u1.get(self).encryption().equals(c.getPublic()) || !u1.get(self).masking().equals(s.getPublic())) {
      throw malformed("a key list in which " + aggregator.self() + "'s own keys are missing or replaced");
    }
    requireThreshold(round, "ShareKeys", u1.size());
    byte[] b = new byte[SECRET_BYTES];
    random.nextBytes(b);
    List<Integer> xs = new ArrayList<>(u1.keySet());
    Map<Integer, byte[]> skShares = ShamirSharing.share(SecAggKeyAgreement.scalar(s.getPrivate()), threshold, xs, random);
    Map<Integer, byte[]> bShares = ShamirSharing.share(b, threshold, xs, random);
    Map<Integer, ShareCipher> ciphers = new HashMap<>();
    FrameWriter shares = FrameWriter.of(MessageKind.SHARE_KEYS, 200 * u1.size()).putInt(round).putInt(u1.size() - 1);
    for (int v : u1.keySet()) {
      if (v == self) continue;
      ShareCipher cipher = new ShareCipher(SecAggKeyAgreement.agree(c.getPrivate(), u1.get(v).encryption()), round);
      ciphers.put(v, cipher);
      byte[] plain = ByteBuffer.allocate(8 + 2 * ShamirSharing.SHARE_BYTES).putInt(self).putInt(v).put(skShares.get(v)).put(bShares.get(v)).array();
      shares.putInt(v).putBytes(cipher.seal(round, self, v, plain, random));
    }
    aggregator.send(shares.toBytes());

    // Round 2: MaskedInputCollection.
    FrameReader forYou = expect(round, MessageKind.SHARES_FOR_YOU);
    int received = forYou.getInt();
    Map<Integer, byte[]> heldSk = new TreeMap<>();
    Map<Integer, byte[]> heldB = new TreeMap<>();
    heldSk.put(self, skShares.get(self));
    heldB.put(self, bShares.get(self));
    for (int i = 0; i < received; i++) {
      int u = forYou.getInt();
      byte[] sealed = forYou.getBytes();
      if (!ciphers.containsKey(u) || heldSk.containsKey(u)) throw malformed("shares said to be from hospital " + u + ", which is not in U1 or came twice");
      ByteBuffer plain = ByteBuffer.wrap(ciphers.get(u).open(round, u, self, sealed));
      if (plain.remaining() != 8 + 2 * ShamirSharing.SHARE_BYTES || plain.getInt() != u || plain.getInt() != self) {
        throw malformed("a sealed share bundle from hospital " + u + " that names other parties");
      }
      byte[] sk = new byte[ShamirSharing.SHARE_BYTES];
      byte[] bb = new byte[ShamirSharing.SHARE_BYTES];
      plain.get(sk).get(bb);
      heldSk.put(u, sk);
      heldB.put(u, bb);
    }
    forYou.end();
    TreeSet<Integer> u2 = new TreeSet<>(heldSk.keySet());
    requireThreshold(round, "MaskedInputCollection", u2.size());
    long[] y = x.clone();
    MaskExpansion.addSelf(y, b, round, 1);
    for (int v : u2) {
      if (v == self) continue;
      MaskExpansion.addPairwise(y, SecAggKeyAgreement.agree(s.getPrivate(), u1.get(v).masking()), round, self < v ? 1 : -1);
    }
    aggregator.send(FrameWriter.of(MessageKind.MASKED_INPUT, 8 * y.length + 8).putInt(round).putLongs(y).toBytes());

    // Round 4: Unmasking.
    FrameReader request = expect(round, MessageKind.UNMASK_REQUEST);
    int survivors = request.getInt();
    TreeSet<Integer> u3 = new TreeSet<>();
    for (int i = 0; i < survivors; i++) {
      int v = request.getInt();
      if (!u2.contains(v) || !u3.add(v)) throw malformed("an unmasking request naming hospital " + v + ", which did not share keys with us or is named twice");
    }
    request.end();
    if (!u3.contains(self)) throw malformed("an unmasking request that leaves out " + aggregator.self() + ", which did send its masked input");
    requireThreshold(round, "Unmasking", u3.size());
    FrameWriter answer = FrameWriter.of(MessageKind.UNMASK_SHARES, 80 * u2.size()).putInt(round).putInt(u2.size());
    for (int v : u2) {
      boolean survived = u3.contains(v);
      answer.putInt(v).putInt(survived ? 0 : 1).putBytes(survived ? heldB.get(v) : heldSk.get(v));
    }
    aggregator.send(answer.toBytes());
  }

  private FrameReader expect(int round, MessageKind kind) {
    FrameReader m = FrameReader.open(aggregator.peer(), aggregator.receive(), kind, MessageKind.ABORT);
    int r = m.getInt();
    if (m.kind() == MessageKind.ABORT) {
      String why = m.getString();
      throw new SecureAggregationAbortedException(aggregator.peer() + " stopped secure aggregation of round " + r + ": " + why, List.of());
    }
    if (r != round) throw malformed("a " + kind + " message for round " + r + " during round " + round);
    return m;
  }

  private void requireThreshold(int round, String step, int have) {
    if (have < threshold) {
      throw new SecureAggregationAbortedException("secure aggregation of round " + round + " cannot go on at " + step + ": " + have
          + " hospitals remain where " + threshold + " are needed; " + aggregator.self() + " sends nothing more", List.of());
    }
  }

  private PeerLinkException malformed(String what) {
    return new PeerLinkException(aggregator.peer(), PeerLinkException.Reason.MALFORMED,
        aggregator.peer() + " sent " + what + ": " + aggregator.self() + " stops this round of secure aggregation");
  }

  static void addInPlace(long[] acc, long[] v, int sign) {
    if (sign > 0) for (int i = 0; i < acc.length; i++) acc[i] += v[i];
    else for (int i = 0; i < acc.length; i++) acc[i] -= v[i];
  }
}

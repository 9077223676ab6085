package io.covenant.mpc.psi;

import io.covenant.mpc.transport.MeteredPeerLink;

import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload step after an aligned PSI: each party splits each of its encoded feature columns, restricted to the
 * intersection in the aligned order, into two additive shares over Z_2^64 — a uniformly random r it sends to the peer,
 * and v − r it keeps (2-out-of-2 additive sharing; e.g. SecureML, Mohassel and Zhang, IEEE S&amp;P 2017, §2.2).
 *
 * <p>Cost: 1 flow each way: the column names, then 8 bytes per intersected row per column.
 */
final class PayloadExchange {
  private static final int WORDS_PER_FRAME = 1 << 20;

  private PayloadExchange() {}

  static AlignedShares exchange(PsiJob job, PsiRole role, PsiParty.Alignment a, List<String> names, long[][] encoded, FixedPoint encoding,
      PeerLink link, java.util.function.IntFunction<long[]> randomWords) {
    int n = a.ownAligned().length;
    MeteredPeerLink metered = new MeteredPeerLink(link);
    metered.send(header(names));
    List<long[]> keep = new ArrayList<>();
    for (long[] column : encoded) {
      long[] mask = randomWords.apply(n);
      long[] own = new long[n];
      for (int k = 0; k < n; k++) {
        own[k] = column[a.ownAligned()[k]] - mask[k]; // distinct index = row: the payload mode refuses repeated ids
      }
      keep.add(own);
      for (int from = 0; from < n; from += WORDS_PER_FRAME) {
        metered.sendWords(java.util.Arrays.copyOfRange(mask, from, Math.min(n, from + WORDS_PER_FRAME)));
      }
      if (n == 0) metered.sendWords(new long[0]);
    }
    List<String> peerNames = parseHeader(metered.receive(), link, job);
    List<long[]> peerShares = new ArrayList<>();
    for (int c = 0; c < peerNames.size(); c++) {
      long[] share = new long[n];
      int k = 0;
      do {
        long[] words = metered.receiveWords();
        if (k + words.length > n || (n == 0 && words.length != 0)) throw malformed(link, job, "more shares of column " + peerNames.get(c) + " than the " + n + " aligned rows");
        System.arraycopy(words, 0, share, k, words.length);
        k += words.length;
        if (words.length == 0 && n > 0) throw malformed(link, job, "an empty frame of shares");
      } while (k < n);
      peerShares.add(share);
    }
    List<AlignedShares.SharedColumn> ownColumns = new ArrayList<>();
    for (int c = 0; c < names.size(); c++) ownColumns.add(new AlignedShares.SharedColumn(names.get(c), link.self(), keep.get(c)));
    List<AlignedShares.SharedColumn> theirColumns = new ArrayList<>();
    for (int c = 0; c < peerNames.size(); c++) theirColumns.add(new AlignedShares.SharedColumn(peerNames.get(c), link.peer(), peerShares.get(c)));
    List<AlignedShares.SharedColumn> all = new ArrayList<>(role == PsiRole.RECEIVER ? ownColumns : theirColumns);
    all.addAll(role == PsiRole.RECEIVER ? theirColumns : ownColumns);
    PsiStats s = a.stats();
    PsiStats stats = new PsiStats(s.ownRows(), s.ownDistinct(), s.peerDistinct(), s.bytesSent() + metered.bytesSent(), s.bytesReceived() + metered.bytesReceived());
    return new AlignedShares(a.ownAligned(), all, encoding, stats);
  }

  private static byte[] header(List<String> names) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(4).putInt(names.size()).array());
    for (String name : names) {
      byte[] b = name.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  private static List<String> parseHeader(byte[] frame, PeerLink link, PsiJob job) {
    try {
      ByteBuffer b = ByteBuffer.wrap(frame);
      int count = b.getInt();
      if (count < 0 || count > 10_000) throw malformed(link, job, count + " feature columns");
      List<String> names = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int len = b.getInt();
        if (len < 1 || len > 1024) throw malformed(link, job, "a feature column name of " + len + " bytes");
        byte[] name = new byte[len];
        b.get(name);
        names.add(new String(name, StandardCharsets.UTF_8));
      }
      if (b.hasRemaining()) throw malformed(link, job, "a column header longer than its columns");
      return names;
    } catch (java.nio.BufferUnderflowException e) {
      throw malformed(link, job, "a truncated column header");
    }
  }

  private static PeerLinkException malformed(PeerLink link, PsiJob job, String what) {
    return new PeerLinkException(link.peer(), PeerLinkException.Reason.MALFORMED, link.peer() + " sent " + what + " in the payload step of PSI job "
        + job.jobId() + ": it runs another version or is broken; the run stopped and nothing was kept");
  }
}

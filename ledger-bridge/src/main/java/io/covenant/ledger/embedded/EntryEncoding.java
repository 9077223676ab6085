package io.covenant.ledger.embedded;

import java.nio.charset.StandardCharsets;

/**
 * Builds an entry's canonical JSON around an already-encoded signed event. The canonical form of
 * {@code {"event":E,"index":N,"previous":"H"}} has its members in exactly this order (RFC 8785 sorts them), so the
 * hash chain's sequential part is two small concatenations and a SHA-256, while the expensive event encoding runs
 * in the appending thread. {@code LeafEncodingMatchesCanonicalJson} pins this to {@code LedgerEntry.leafBytes()}.
 */
final class EntryEncoding {
  private static final byte[] HEAD = "{\"event\":".getBytes(StandardCharsets.US_ASCII);

  private EntryEncoding() {}

  static byte[] leafBytes(byte[] canonicalEvent, long index, String previousHex) {
    byte[] tail = (",\"index\":" + index + ",\"previous\":\"" + previousHex + "\"}").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[HEAD.length + canonicalEvent.length + tail.length];
    System.arraycopy(HEAD, 0, out, 0, HEAD.length);
    System.arraycopy(canonicalEvent, 0, out, HEAD.length, canonicalEvent.length);
    System.arraycopy(tail, 0, out, HEAD.length + canonicalEvent.length, tail.length);
    return out;
  }
}

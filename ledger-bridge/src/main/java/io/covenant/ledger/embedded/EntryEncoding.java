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

  private static final byte[] SIG = "{\"sig\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STATEMENT = "\",\"statement\":".getBytes(StandardCharsets.US_ASCII);

  private EntryEncoding() {}

  /**
   * The canonical JSON of {@code SignedEvent.toJson()}, {@code {"sig":"S","statement":T}}, from the statement bytes
   * the signature was just checked over, so an append encodes its statement once, not twice.
   */
  static byte[] signedEvent(byte[] canonicalStatement, String signatureHex) {
    byte[] sig = signatureHex.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[SIG.length + sig.length + STATEMENT.length + canonicalStatement.length + 1];
    int p = 0;
    System.arraycopy(SIG, 0, out, p, SIG.length);
    p += SIG.length;
    System.arraycopy(sig, 0, out, p, sig.length);
    p += sig.length;
    System.arraycopy(STATEMENT, 0, out, p, STATEMENT.length);
    p += STATEMENT.length;
    System.arraycopy(canonicalStatement, 0, out, p, canonicalStatement.length);
    out[out.length - 1] = '}';
    return out;
  }

  static byte[] leafBytes(byte[] canonicalEvent, long index, String previousHex) {
    return leafBytes(canonicalEvent, index, previousHex, io.covenant.core.crypto.CryptoSuite.INTL);
  }

  /** As above; a national-suite entry ends with {@code "suite":"sm"}, which sorts after "previous" (RFC 8785). */
  static byte[] leafBytes(byte[] canonicalEvent, long index, String previousHex, io.covenant.core.crypto.CryptoSuite suite) {
    String suiteMember = suite.isNational() ? ",\"suite\":\"" + suite.id() + "\"" : "";
    byte[] tail = (",\"index\":" + index + ",\"previous\":\"" + previousHex + "\"" + suiteMember + "}").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[HEAD.length + canonicalEvent.length + tail.length];
    System.arraycopy(HEAD, 0, out, 0, HEAD.length);
    System.arraycopy(canonicalEvent, 0, out, HEAD.length, canonicalEvent.length);
    System.arraycopy(tail, 0, out, HEAD.length + canonicalEvent.length, tail.length);
    return out;
  }
}

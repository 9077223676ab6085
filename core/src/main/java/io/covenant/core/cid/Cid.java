package io.covenant.core.cid;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A content identifier exactly as IPFS writes it: CIDv1 = varint(1) || varint(codec) || multihash, shown in
 * multibase base32 ('b' prefix). Spec: https://github.com/multiformats/cid. Covenant produces sha2-256 multihashes
 * (code 0x12, length 32) under the international suite and sm3-256 multihashes under the national one (code 0x534d,
 * length 32: the code registered for sm3-256 in the multiformats table, multiformats/multicodec table.csv, status draft);
 * it can parse any CIDv1 and verifies blocks whose hash it knows (these two).
 */
public final class Cid implements Comparable<Cid> {
  /** Multicodec for raw bytes: every encrypted shard is a raw block. */
  public static final long RAW = 0x55;
  /** Multicodec for DAG-JSON: manifests link their shards as {"/": cid}. */
  public static final long DAG_JSON = 0x0129;
  /** Multicodec for DAG-CBOR. */
  public static final long DAG_CBOR = 0x71;
  /** Multihash code for sha2-256. */
  public static final long SHA2_256 = 0x12;
  /**
   * The multihash name of sha2-256 in the multiformats table, as Kubo's HTTP API takes it ({@code block/put?mhtype=}):
   * fixed for IPFS interop, because Kubo hashes and verifies blocks only with the hashers go-multihash registers (no SM3).
   */
  public static final String SHA2_256_NAME = "sha2-256";
  /** Multihash code for sm3-256 (multiformats/multicodec table.csv: {@code sm3-256, multihash, 0x534d, draft}). */
  public static final long SM3_256 = 0x534d;

  private final long codec;
  private final long hashCode;
  private final byte[] digest;
  private final String text;

  private Cid(long codec, long hashCode, byte[] digest) {
    this.codec = codec;
    this.hashCode = hashCode;
    this.digest = digest;
    this.text = "b" + Base32.encode(bytes(codec, hashCode, digest));
  }

  /** The CID of {@code block} under {@code codec} with a sha2-256 multihash. */
  public static Cid of(long codec, byte[] block) {
    return new Cid(codec, SHA2_256, Digest.sha256Bytes(block, 0, block.length));
  }

  public static Cid ofDigest(long codec, Digest sha256) {
    return new Cid(codec, SHA2_256, sha256.bytes());
  }

  /** The CID of {@code block} under {@code codec} with the multihash of {@code suite}'s hash (sha2-256 or sm3-256). */
  public static Cid of(CryptoSuite suite, long codec, byte[] block) {
    if (!suite.isNational()) return of(codec, block);
    return new Cid(codec, SM3_256, suite.hash(block).bytes());
  }

  /** A CID for a digest that {@code suite}'s hash already produced. */
  public static Cid ofDigest(CryptoSuite suite, long codec, Digest digest) {
    return new Cid(codec, suite.multihashCode(), digest.bytes());
  }

  /** The suite whose hash this CID uses; refused for a multihash Covenant does not produce. */
  public CryptoSuite suite() {
    if (hashCode == SHA2_256) return CryptoSuite.INTL;
    if (hashCode == SM3_256) return CryptoSuite.SM;
    throw new MalformedInputException("CID " + text + " uses a hash Covenant cannot verify (multihash 0x" + Long.toHexString(hashCode) + ")");
  }

  /** The multihash code: 0x12 (sha2-256) or 0x534d (sm3-256) for the CIDs Covenant makes. */
  public long multihashCode() {
    return hashCode;
  }

  /** The hash digest inside the multihash. */
  public Digest digest() {
    return Digest.of(digest);
  }

  public static Cid raw(byte[] block) {
    return of(RAW, block);
  }

  /** Parses a multibase CIDv1 string (base32 'b' or upper-case 'B'). */
  public static Cid parse(String text) {
    if (text == null || text.length() < 2) throw new MalformedInputException("CID '" + text + "' is too short");
    char prefix = text.charAt(0);
    if (text.startsWith("Qm")) {
      throw new MalformedInputException("CID '" + text + "' is CIDv0; Covenant uses CIDv1 (ask the node for cid-version=1)");
    }
    if (prefix != 'b' && prefix != 'B') {
      throw new MalformedInputException("CID '" + text + "' uses multibase '" + prefix + "'; expected base32 ('b')");
    }
    byte[] b = Base32.decode(text.substring(1));
    int[] pos = {0};
    long version = Varint.read(b, pos);
    if (version != 1) throw new MalformedInputException("CID '" + text + "' has version " + version + "; expected 1");
    long codec = Varint.read(b, pos);
    long mh = Varint.read(b, pos);
    long len = Varint.read(b, pos);
    if (len != b.length - pos[0]) throw new MalformedInputException("CID '" + text + "' has a multihash length that does not match");
    if (mh == SHA2_256 && len != 32) throw new MalformedInputException("CID '" + text + "' has a sha2-256 digest that is not 32 bytes");
    if (mh == SM3_256 && len != 32) throw new MalformedInputException("CID '" + text + "' has an sm3-256 digest that is not 32 bytes");
    return new Cid(codec, mh, Arrays.copyOfRange(b, pos[0], b.length));
  }

  private static byte[] bytes(long codec, long hashCode, byte[] digest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(40);
    Varint.write(1, out);
    Varint.write(codec, out);
    Varint.write(hashCode, out);
    Varint.write(digest.length, out);
    out.writeBytes(digest);
    return out.toByteArray();
  }

  public long codec() {
    return codec;
  }

  /** The binary CID (what dag-cbor links and IPFS's wire protocols carry). */
  public byte[] toBytes() {
    return bytes(codec, hashCode, digest);
  }

  /** Whether {@code block} is exactly the content this CID names. */
  public boolean matches(byte[] block) {
    if (hashCode == SHA2_256) return MessageDigest.isEqual(digest, Digest.sha256Bytes(block, 0, block.length));
    return MessageDigest.isEqual(digest, suite().hash(block).bytes());
  }

  /** Throws unless {@code block} is exactly the content this CID names; never returns unverified bytes. */
  public byte[] verify(byte[] block) {
    if (!matches(block)) {
      throw new IntegrityException("block " + text + " does not match its CID: it was corrupted, truncated or replaced");
    }
    return block;
  }

  public Digest sha256() {
    if (hashCode != SHA2_256) throw new MalformedInputException("CID " + text + " is not sha2-256");
    return Digest.of(digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public int compareTo(Cid o) {
    return text.compareTo(o.text);
  }

  @Override
  public String toString() {
    return text;
  }
}

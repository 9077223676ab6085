package io.covenant.storage.keys;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One custodian's share of a split data key. Secret: fewer than {@link #threshold()} shares reveal nothing about the
 * key, but this one is still key material, so it never prints its value.
 *
 * <p>Text form for handing to a custodian: {@code covenant-share-v1:<split id>:<threshold>:<x>:<64 hex digits>}.
 */
public final class KeyShare {
  private static final Pattern TEXT = Pattern.compile("covenant-share-v1:([0-9a-f]{16}):([0-9]{1,3}):([0-9]{1,3}):([0-9a-f]{64})");
  private final String splitId;
  private final int threshold;
  private final int x;
  private final byte[] y;

  KeyShare(String splitId, int threshold, int x, byte[] y) {
    if (x < 1 || x > 255) throw new MalformedInputException("share number must be 1 to 255, got " + x);
    if (threshold < 2 || threshold > 255) throw new MalformedInputException("share threshold must be 2 to 255, got " + threshold);
    if (y.length != 32) throw new MalformedInputException("a data key share has 32 bytes");
    this.splitId = splitId;
    this.threshold = threshold;
    this.x = x;
    this.y = y.clone();
  }

  public static KeyShare parse(String text) {
    Matcher m = text == null ? null : TEXT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new MalformedInputException("that is not a Covenant key share; it looks like covenant-share-v1:<16 hex>:<threshold>:<number>:<64 hex>");
    }
    return new KeyShare(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), HexFormat.of().parseHex(m.group(4)));
  }

  /** Random id shared by all shares of one split, so shares of different splits are never mixed. Not secret. */
  public String splitId() {
    return splitId;
  }

  /** How many distinct shares of this split restore the key. */
  public int threshold() {
    return threshold;
  }

  /** This share's evaluation point, 1 to 255. */
  public int number() {
    return x;
  }

  byte[] value() {
    return y.clone();
  }

  /** The text form, including the secret share value: hand it only to its custodian. */
  public String encode() {
    return "covenant-share-v1:" + splitId + ":" + threshold + ":" + x + ":" + HexFormat.of().formatHex(y);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyShare s && s.splitId.equals(splitId) && s.threshold == threshold && s.x == x && MessageDigest.isEqual(s.y, y);
  }

  @Override
  public int hashCode() {
    return splitId.hashCode() * 31 + x;
  }

  @Override
  public String toString() {
    return "KeyShare[" + x + " of split " + splitId + ", threshold " + threshold + ", value redacted]";
  }
}

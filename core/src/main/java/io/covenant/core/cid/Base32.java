package io.covenant.core.cid;

import io.covenant.core.error.MalformedInputException;

/** RFC 4648 base32, lower-case, no padding: the alphabet of multibase prefix 'b' that CIDv1 uses by default. */
public final class Base32 {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private Base32() {}

  public static String encode(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0, bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    return sb.toString();
  }

  public static byte[] decode(String text) {
    String s = text.toLowerCase();
    byte[] out = new byte[s.length() * 5 / 8];
    int buffer = 0, bits = 0, n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int v;
      if (c >= 'a' && c <= 'z') v = c - 'a';
      else if (c >= '2' && c <= '7') v = c - '2' + 26;
      else throw new MalformedInputException("'" + c + "' is not a base32 character");
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }
}

package io.covenant.core.attestation;

/**
 * A TCB_VERSION as laid out for Milan and Genoa processors: AMD SEV-SNP ABI specification (publication 56860),
 * table "TCB_VERSION Structure". It is one little-endian 64-bit value whose byte 0 is the boot loader SVN, byte 1 the
 * PSP OS (TEE) SVN, bytes 2-5 reserved, byte 6 the SNP firmware SVN and byte 7 the microcode patch level.
 */
public record SnpTcb(int bootLoader, int tee, int snp, int microcode) {
  public SnpTcb {
    for (int v : new int[] {bootLoader, tee, snp, microcode}) {
      if (v < 0 || v > 0xFF) throw new SnpAttestationException("a TCB component SVN is one byte (0-255), got " + v);
    }
  }

  /** Decodes the 8 raw bytes of a TCB_VERSION starting at {@code offset}. */
  static SnpTcb decode(byte[] b, int offset) {
    return new SnpTcb(b[offset] & 0xFF, b[offset + 1] & 0xFF, b[offset + 6] & 0xFF, b[offset + 7] & 0xFF);
  }

  /** The 8 raw bytes of this TCB_VERSION (reserved bytes zero). */
  public byte[] encode() {
    byte[] b = new byte[8];
    b[0] = (byte) bootLoader;
    b[1] = (byte) tee;
    b[6] = (byte) snp;
    b[7] = (byte) microcode;
    return b;
  }

  /**
   * Names the first component of this TCB below the same component of {@code minimum}, or returns null when every
   * component is at least the minimum. Components are compared one by one: a TCB is only as current as its oldest part.
   */
  String firstComponentBelow(SnpTcb minimum) {
    if (bootLoader < minimum.bootLoader) return "bootloader " + bootLoader + " is below the minimum " + minimum.bootLoader;
    if (tee < minimum.tee) return "tee " + tee + " is below the minimum " + minimum.tee;
    if (snp < minimum.snp) return "snp " + snp + " is below the minimum " + minimum.snp;
    if (microcode < minimum.microcode) return "microcode " + microcode + " is below the minimum " + minimum.microcode;
    return null;
  }

  @Override
  public String toString() {
    return "bootloader " + bootLoader + ", tee " + tee + ", snp " + snp + ", microcode " + microcode;
  }
}

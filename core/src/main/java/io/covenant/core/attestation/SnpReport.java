package io.covenant.core.attestation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An AMD SEV-SNP ATTESTATION_REPORT, read field by field from the layout in the AMD SEV-SNP ABI specification
 * (publication 56860, section 7.3 "Attestation", table "ATTESTATION_REPORT Structure"). All integers are little-endian.
 *
 * <pre>
 * 0x000 VERSION u32          0x004 GUEST_SVN u32         0x008 POLICY u64
 * 0x010 FAMILY_ID [16]       0x020 IMAGE_ID [16]         0x030 VMPL u32
 * 0x034 SIGNATURE_ALGO u32   0x038 CURRENT_TCB u64       0x040 PLATFORM_INFO u64
 * 0x048 bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 2-4 SIGNING_KEY
 * 0x050 REPORT_DATA [64]     0x090 MEASUREMENT [48]      0x0C0 HOST_DATA [32]
 * 0x0E0 ID_KEY_DIGEST [48]   0x110 AUTHOR_KEY_DIGEST [48] 0x140 REPORT_ID [32]
 * 0x160 REPORT_ID_MA [32]    0x180 REPORTED_TCB u64      0x1A0 CHIP_ID [64]
 * 0x1E0 COMMITTED_TCB u64    0x1F0 LAUNCH_TCB u64        0x2A0 SIGNATURE [512]
 * </pre>
 *
 * The signature (table "ECDSA P-384 with SHA-384 Signature") covers bytes 0x000-0x29F and stores R at +0x00 and S at
 * +0x48, each a 72-byte little-endian integer zero-extended from 48 bytes.
 */
public record SnpReport(byte[] raw) {
  public static final int BYTES = 0x4A0;
  public static final int SIGNED_BYTES = 0x2A0;
  public static final int REPORT_DATA_BYTES = 64;
  public static final int MEASUREMENT_BYTES = 48;
  public static final int CHIP_ID_BYTES = 64;
  /** SIGNATURE_ALGO value for ECDSA P-384 with SHA-384, the only algorithm the specification defines. */
  public static final int ALGO_ECDSA_P384_SHA384 = 1;
  /** The oldest report version read here; later versions only fill space that version 2 leaves reserved. */
  public static final int OLDEST_VERSION = 2;

  static final int OFF_VERSION = 0x00, OFF_GUEST_SVN = 0x04, OFF_POLICY = 0x08, OFF_FAMILY_ID = 0x10, OFF_IMAGE_ID = 0x20,
      OFF_VMPL = 0x30, OFF_SIGNATURE_ALGO = 0x34, OFF_CURRENT_TCB = 0x38, OFF_PLATFORM_INFO = 0x40, OFF_FLAGS = 0x48,
      OFF_REPORT_DATA = 0x50, OFF_MEASUREMENT = 0x90, OFF_HOST_DATA = 0xC0, OFF_ID_KEY_DIGEST = 0xE0,
      OFF_AUTHOR_KEY_DIGEST = 0x110, OFF_REPORT_ID = 0x140, OFF_REPORT_ID_MA = 0x160, OFF_REPORTED_TCB = 0x180,
      OFF_CHIP_ID = 0x1A0, OFF_COMMITTED_TCB = 0x1E0, OFF_LAUNCH_TCB = 0x1F0, OFF_SIGNATURE = 0x2A0;
  /** Width of each of R and S in the report's signature field. */
  static final int SIGNATURE_COMPONENT_BYTES = 72;
  /** P-384 scalars are 48 bytes; the upper 24 bytes of each 72-byte component must be zero. */
  static final int P384_SCALAR_BYTES = 48;

  /** GUEST_POLICY bits (ABI specification, table "GUEST_POLICY Structure"). */
  public static final long POLICY_MIGRATE_MA = 1L << 18, POLICY_DEBUG = 1L << 19;

  public SnpReport {
    if (raw == null || raw.length != BYTES) {
      throw new SnpAttestationException("an SEV-SNP attestation report is " + BYTES + " bytes (0x4A0); got "
          + (raw == null ? "none" : raw.length + " bytes") + ": pass the report exactly as the guest driver returned it");
    }
    raw = raw.clone();
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public int version() { return u32(OFF_VERSION); }
  public int guestSvn() { return u32(OFF_GUEST_SVN); }
  public long policy() { return u64(OFF_POLICY); }
  public byte[] familyId() { return slice(OFF_FAMILY_ID, 16); }
  public byte[] imageId() { return slice(OFF_IMAGE_ID, 16); }
  public int vmpl() { return u32(OFF_VMPL); }
  public int signatureAlgo() { return u32(OFF_SIGNATURE_ALGO); }
  public SnpTcb currentTcb() { return SnpTcb.decode(raw, OFF_CURRENT_TCB); }
  public long platformInfo() { return u64(OFF_PLATFORM_INFO); }
  public boolean authorKeyEn() { return (u32(OFF_FLAGS) & 1) != 0; }
  /** SIGNING_KEY: 0 means the VCEK signed the report, 1 the VLEK, 7 no key. */
  public int signingKey() { return (u32(OFF_FLAGS) >>> 2) & 0b111; }
  public byte[] reportData() { return slice(OFF_REPORT_DATA, REPORT_DATA_BYTES); }
  public byte[] measurement() { return slice(OFF_MEASUREMENT, MEASUREMENT_BYTES); }
  public byte[] hostData() { return slice(OFF_HOST_DATA, 32); }
  public byte[] idKeyDigest() { return slice(OFF_ID_KEY_DIGEST, 48); }
  public byte[] authorKeyDigest() { return slice(OFF_AUTHOR_KEY_DIGEST, 48); }
  public byte[] reportId() { return slice(OFF_REPORT_ID, 32); }
  public byte[] reportIdMa() { return slice(OFF_REPORT_ID_MA, 32); }
  public SnpTcb reportedTcb() { return SnpTcb.decode(raw, OFF_REPORTED_TCB); }
  public byte[] chipId() { return slice(OFF_CHIP_ID, CHIP_ID_BYTES); }
  public SnpTcb committedTcb() { return SnpTcb.decode(raw, OFF_COMMITTED_TCB); }
  public SnpTcb launchTcb() { return SnpTcb.decode(raw, OFF_LAUNCH_TCB); }

  public String measurementHex() { return HexFormat.of().formatHex(raw, OFF_MEASUREMENT, OFF_MEASUREMENT + MEASUREMENT_BYTES); }

  /** Bytes 0x000-0x29F: what the signature covers. */
  public byte[] signedBytes() { return slice(0, SIGNED_BYTES); }

  /**
   * The signature as R || S, each 48 bytes big-endian (the IEEE P1363 form the JDK's
   * {@code SHA384withECDSAinP1363Format} verifies), converted from the report's 72-byte little-endian components.
   */
  public byte[] signatureP1363() {
    byte[] out = new byte[2 * P384_SCALAR_BYTES];
    for (int c = 0; c < 2; c++) {
      int base = OFF_SIGNATURE + c * SIGNATURE_COMPONENT_BYTES;
      for (int i = P384_SCALAR_BYTES; i < SIGNATURE_COMPONENT_BYTES; i++) {
        if (raw[base + i] != 0) {
          throw new SnpAttestationException("SNP report: signature component " + (c == 0 ? "R" : "S")
              + " has non-zero bytes above the 48 a P-384 scalar fills; the report was altered or is not SNP");
        }
      }
      for (int i = 0; i < P384_SCALAR_BYTES; i++) out[c * P384_SCALAR_BYTES + i] = raw[base + P384_SCALAR_BYTES - 1 - i];
    }
    return out;
  }

  private int u32(int off) { return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(off); }
  private long u64(int off) { return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(off); }
  private byte[] slice(int off, int len) { return Arrays.copyOfRange(raw, off, off + len); }

  @Override
  public boolean equals(Object o) { return o instanceof SnpReport r && Arrays.equals(raw, r.raw); }

  @Override
  public int hashCode() { return Arrays.hashCode(raw); }

  @Override
  public String toString() { return "SnpReport[v" + version() + ", measurement " + measurementHex().substring(0, 16) + "…]"; }
}

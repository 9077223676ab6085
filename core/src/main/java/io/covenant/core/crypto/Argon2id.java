package io.covenant.core.crypto;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106), version 0x13, through BouncyCastle's {@link Argon2BytesGenerator}: the memory-hard function
 * that turns a keystore's passphrase or key file into its 256-bit sealing key. Its parameters are stored beside what
 * they protect, so a keystore opens with the parameters it was written with.
 *
 * <p>Costs: {@link #FOR_PASSPHRASE} is RFC 9106 section 4's second recommended option (t=3 passes, p=4 lanes, m=64 MiB),
 * for a secret a person chose. {@link #FOR_KEY_FILE} (t=1, p=1, m=8 MiB) is for a generated key file holding 256 random
 * bits: nobody can enumerate such a secret, so memory hardness buys nothing there and the lower cost keeps every
 * command that opens a keystore quick.
 */
public record Argon2id(int iterations, int memoryKiB, int parallelism) {
  public static final Argon2id FOR_PASSPHRASE = new Argon2id(3, 64 * 1024, 4);
  public static final Argon2id FOR_KEY_FILE = new Argon2id(1, 8 * 1024, 1);

  public Argon2id {
    if (iterations < 1 || iterations > 64) throw new MalformedInputException("Argon2id passes must be 1 to 64, not " + iterations);
    if (parallelism < 1 || parallelism > 64) throw new MalformedInputException("Argon2id lanes must be 1 to 64, not " + parallelism);
    if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
      throw new MalformedInputException("Argon2id memory must be 8*lanes KiB to 4 GiB, not " + memoryKiB + " KiB");
    }
  }

  /** The tag of {@code length} bytes for {@code password} and {@code salt} (no secret, no associated data). */
  public byte[] derive(byte[] password, byte[] salt, int length) {
    return derive(password, salt, null, null, length);
  }

  /** The full RFC 9106 function, with the optional secret value K and associated data X (the test vectors use both). */
  public byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int length) {
    Argon2Parameters.Builder p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withIterations(iterations)
        .withMemoryAsKB(memoryKiB)
        .withParallelism(parallelism)
        .withSalt(salt);
    if (secret != null) p.withSecret(secret);
    if (associatedData != null) p.withAdditional(associatedData);
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(p.build());
    byte[] out = new byte[length];
    g.generateBytes(password, out);
    return out;
  }

  public Json.JObject toJson(byte[] salt) {
    return Json.obj("alg", "argon2id", "version", 19L, "t", (long) iterations, "m", (long) memoryKiB, "p", (long) parallelism,
        "salt", Base64.getEncoder().encodeToString(salt));
  }

  public static Argon2id fromJson(Json.JObject o) {
    if (!"argon2id".equals(o.string("alg")) || o.number("version") != 19) {
      throw new MalformedInputException("key derivation " + o.string("alg") + " v" + o.number("version") + " is not Argon2id v19");
    }
    return new Argon2id((int) o.number("t"), (int) o.number("m"), (int) o.number("p"));
  }
}

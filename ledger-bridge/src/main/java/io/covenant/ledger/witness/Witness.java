package io.covenant.ledger.witness;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.Cosignature;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.DurableFiles;
import io.covenant.ledger.verify.Consortium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A transparency-log witness, following the C2SP tlog-witness specification (c2sp.org/tlog-witness, the witness
 * protocol of Sigstore's and Go's checksum database ecosystems) and producing C2SP tlog-cosignature style
 * cosignatures ({@link Cosignature}). A witness is run by a party other than the log operator (here, each
 * organisation of the consortium, or a standalone {@code covenant witness}). It has its own Ed25519 key, follows one
 * log (identified by the operator's log key), and keeps the latest checkpoint of that log it cosigned.
 *
 * <p>As in tlog-witness's add-checkpoint, a request carries the new checkpoint and an RFC 9162 consistency proof from
 * the size the witness last cosigned. The witness cosigns only if the checkpoint is signed by the log key it follows,
 * the proof starts from its own latest size (otherwise CONFLICT, and the operator must ask again from that size),
 * the new tree is not smaller (otherwise ROLLBACK), and the proof verifies from its stored root to the new root
 * (otherwise FORK; at equal sizes the roots must be equal). It records the new checkpoint durably, atomically
 * replacing the old one, before it returns the cosignature, so a witness that crashes never forgets a checkpoint it
 * vouched for. We follow the specification's semantics, not its HTTP and note wire format.
 *
 * <p>Directory: {@code witness.json} (name, followed log key, public key), {@code witness.key} (the private key,
 * owner-only), {@code latest-checkpoint.json} (the latest checkpoint it cosigned).
 */
public final class Witness {
  private static final String CONFIG = "witness.json";
  private static final String KEY = "witness.key";
  private static final String LATEST = "latest-checkpoint.json";

  private final Path dir;
  private final String name;
  private final VerifyingKey logKey;
  private final SigningKey key;
  private final Clock clock;
  private SignedCheckpoint latest; // guarded by this

  private Witness(Path dir, String name, VerifyingKey logKey, SigningKey key, SignedCheckpoint latest, Clock clock) {
    this.dir = dir;
    this.name = name;
    this.logKey = logKey;
    this.key = key;
    this.latest = latest;
    this.clock = clock;
  }

  /** True if {@code dir} holds a witness. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG));
  }

  /**
   * Creates a witness named {@code name} for the log with key {@code logKey}, with a fresh key of its own.
   *
   * @throws LedgerStorageException if {@code dir} already holds a witness (a witness's key and memory are never replaced)
   */
  public static Witness create(Path dir, String name, VerifyingKey logKey) {
    new Consortium.Member(name, logKey); // checks the name's form
    if (exists(dir)) throw new LedgerStorageException(dir + " already holds a witness; a witness is created once (use it, or pick another directory)");
    SigningKey key = logKey.suite().generateSigningKey(); // the consortium's suite, which its log key carries
    try {
      Files.createDirectories(dir);
      DurableFiles.writeAtomically(dir.resolve(KEY), HexFormat.of().formatHex(key.seedForKeystore()).getBytes(StandardCharsets.US_ASCII), true);
      Json.JObject config = Json.obj("name", name, "logKey", logKey.hex(), "key", key.verifyingKey().hex());
      DurableFiles.writeAtomically(dir.resolve(CONFIG), (config.encode() + "\n").getBytes(StandardCharsets.UTF_8), false);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot create a witness in " + dir + ": " + e.getMessage(), e);
    }
    return new Witness(dir, name, logKey, key, null, Clock.systemUTC());
  }

  /** Opens the witness in {@code dir}, with the latest checkpoint it cosigned. */
  public static Witness open(Path dir) {
    return open(dir, Clock.systemUTC());
  }

  static Witness open(Path dir, Clock clock) {
    if (!exists(dir)) throw new LedgerStorageException("no witness in " + dir + "; create one with 'covenant witness init'");
    try {
      Json.JObject config = Json.parseObject(Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8));
      SigningKey key = SigningKey.fromSeed(HexFormat.of().parseHex(Files.readString(dir.resolve(KEY), StandardCharsets.US_ASCII).trim()));
      if (!key.verifyingKey().hex().equals(config.string("key"))) {
        throw new MalformedInputException("the key in " + KEY + " is not the witness's published key in " + CONFIG + "; restore the witness directory from a backup");
      }
      Path latestFile = dir.resolve(LATEST);
      SignedCheckpoint latest = Files.exists(latestFile) ? SignedCheckpoint.fromJson(Json.parseObject(Files.readString(latestFile, StandardCharsets.UTF_8))) : null;
      return new Witness(dir, config.string("name"), VerifyingKey.parse(config.string("logKey")), key, latest, clock);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot read the witness in " + dir + ": " + e.getMessage(), e);
    } catch (MalformedInputException | IllegalArgumentException e) {
      throw new MalformedInputException("the witness in " + dir + " is damaged (" + e.getMessage() + "); restore it from a backup", e);
    }
  }

  public String name() {
    return name;
  }

  /** The witness's public key, as the consortium configuration lists it. */
  public VerifyingKey publicKey() {
    return key.verifyingKey();
  }

  /** The log key of the log this witness follows. */
  public VerifyingKey logKey() {
    return logKey;
  }

  /** The latest checkpoint this witness cosigned, if any. */
  public synchronized Optional<SignedCheckpoint> latest() {
    return Optional.ofNullable(latest);
  }

  /** The size the next request's consistency proof must start from (0 before the first cosignature). */
  public synchronized long latestSize() {
    return latest == null ? 0 : latest.treeSize();
  }

  /**
   * Checks {@code cp} against the latest checkpoint this witness cosigned and, if it extends it, records it and
   * cosigns it.
   *
   * @param proof the RFC 9162 consistency proof from {@link #latestSize()} to {@code cp}'s size
   * @throws WitnessRefusedException naming the rollback, fork, conflict or foreign log
   */
  public synchronized Cosignature cosign(SignedCheckpoint cp, ConsistencyProof proof) {
    String what = "witness " + name + " refuses to cosign the checkpoint of " + cp.treeSize() + " entries signed at " + cp.at() + ": ";
    if (!cp.logKey().equals(logKey)) {
      throw new WitnessRefusedException(WitnessRefusedException.Reason.NOT_THE_LOG,
          what + "it is signed by log key " + cp.logKey().shortForm() + "…, but this witness follows the log with key " + logKey.shortForm() + "…");
    }
    if (!cp.verify()) {
      throw new WitnessRefusedException(WitnessRefusedException.Reason.NOT_THE_LOG, what + "its signature by the log key does not verify: it was altered or forged");
    }
    long old = latestSize();
    if (latest != null && cp.treeSize() < old) {
      throw new WitnessRefusedException(WitnessRefusedException.Reason.ROLLBACK,
          what + "it already cosigned " + old + " entries (signed at " + latest.at() + "), so a tree of " + cp.treeSize()
              + " means the log was rolled back: entries " + cp.treeSize() + " to " + (old - 1) + " were removed");
    }
    if (proof == null || proof.oldSize() != old || proof.newSize() != cp.treeSize()) {
      throw new WitnessRefusedException(WitnessRefusedException.Reason.CONFLICT,
          what + "the consistency proof must run from " + old + " entries (the latest this witness cosigned) to " + cp.treeSize()
              + (proof == null ? ", and none was given" : ", not from " + proof.oldSize() + " to " + proof.newSize()) + "; ask again with a proof from " + old);
    }
    if (latest != null && !proof.verify(latest.rootHash(), cp.rootHash())) {
      throw new WitnessRefusedException(WitnessRefusedException.Reason.FORK,
          what + (cp.treeSize() == old ? "it has root " + cp.rootHash().shortForm() + "… for the same " + old + " entries this witness cosigned with root "
              : "the RFC 9162 consistency proof from the " + old + " entries this witness cosigned (root ") + latest.rootHash().shortForm() + "…"
              + (cp.treeSize() == old ? "" : ") does not verify") + ": the log was rewritten (a fork), and a witness never cosigns two histories");
    }
    if (latest == null || cp.treeSize() > old || !cp.equals(latest)) {
      try {
        DurableFiles.writeAtomically(dir.resolve(LATEST), (cp.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8), false);
      } catch (IOException e) {
        throw new LedgerStorageException("witness " + name + " cannot record the checkpoint in " + dir + " (" + e.getMessage() + "); it did not cosign", e);
      }
      latest = cp;
    }
    return Cosignature.sign(name, key, cp, clock.instant());
  }

  @Override
  public String toString() {
    return "Witness[" + name + ", key " + publicKey().shortForm() + ", latest " + latestSize() + "]";
  }
}

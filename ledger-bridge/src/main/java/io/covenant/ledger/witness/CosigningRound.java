package io.covenant.ledger.witness;

import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.Cosignature;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.DurableFiles;
import io.covenant.ledger.segment.LedgerDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's side of witnessing (the "log" role of C2SP tlog-witness): sign a checkpoint at the ledger's current
 * size, send each witness the checkpoint with a consistency proof from the size that witness last cosigned, and keep
 * what comes back. The cosigned checkpoint is appended to the ledger directory's {@code witnessed.jsonl} (fsync'd),
 * from which exports and {@code covenant verify} read it.
 */
public final class CosigningRound {
  private CosigningRound() {}

  /**
   * What one round produced.
   *
   * @param checkpoint the checkpoint and the cosignatures it got
   * @param refusals each refusing witness's name and its reason, in the witness's own words
   */
  public record Outcome(CosignedCheckpoint checkpoint, Map<String, String> refusals) {
    public Outcome {
      refusals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(refusals));
    }
  }

  /** Asks every witness to cosign the ledger's current checkpoint; records the result in {@code ledgerDir} if anyone cosigned. */
  public static Outcome run(Ledger ledger, List<Witness> witnesses, Path ledgerDir) {
    SignedCheckpoint cp = ledger.checkpoint();
    List<Cosignature> got = new ArrayList<>();
    Map<String, String> refusals = new LinkedHashMap<>();
    for (Witness w : witnesses) {
      long from = w.latestSize();
      // A witness ahead of the log cannot be given a proof; it is sent an empty one and names the rollback itself.
      ConsistencyProof proof = from <= cp.treeSize() ? ledger.proveConsistency(from, cp.treeSize()) : new ConsistencyProof(from, cp.treeSize(), List.of());
      try {
        got.add(w.cosign(cp, proof));
      } catch (WitnessRefusedException e) {
        refusals.put(w.name(), e.getMessage());
      }
    }
    CosignedCheckpoint cosigned = new CosignedCheckpoint(cp, got);
    if (!got.isEmpty()) record(ledgerDir, cosigned);
    return new Outcome(cosigned, refusals);
  }

  /** Appends a cosigned checkpoint to the ledger directory's witnessed checkpoints. */
  public static void record(Path ledgerDir, CosignedCheckpoint cp) {
    Path f = LedgerDirectory.witnessedFile(ledgerDir);
    try {
      DurableFiles.appendDurably(f, (cp.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LedgerStorageException("cannot record the cosigned checkpoint in " + f + ": " + e.getMessage(), e);
    }
  }
}

package io.covenant.ledger.anchor;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.evm.AuditContract;
import io.covenant.ledger.verify.ChainAnchor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.web3j.crypto.Credentials;

/**
 * Hybrid mode: the embedded ledger's speed, with its history witnessed by a chain. Every {@code everyEntries} entries,
 * or every {@code everyPeriod} if anything was appended since, a background thread anchors the ledger's signed
 * checkpoint on the audit contract ({@code anchor}, event {@code CheckpointAnchored}). Appends never wait for the
 * chain.
 *
 * <p>What it buys: the operator can rewrite its own files and re-sign them, but not the chain. An auditor checks an
 * export against the chain's anchors with {@code ChainAnchors.verify}, which catches a rewritten or truncated log at
 * any point up to the last anchor. Entries after the last anchor are protected only by the embedded log, so the
 * interval is the window an operator could rewrite undetected by the chain.
 *
 * <p>A failed anchor (node down) is kept as {@link #lastAnchorFailure()} and retried on the next round; the ledger
 * keeps accepting entries.
 */
public final class AnchoredLedger implements Ledger {
  private final EmbeddedLedger log;
  private final AuditContract contract;
  private final Credentials sender;
  private final long everyEntries;
  private final Duration everyPeriod;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition due = lock.newCondition();
  private final Object anchoring = new Object();
  // Guarded by lock:
  private long anchoredSize;
  private ChainAnchor lastAnchor;
  private RuntimeException lastFailure;
  private boolean closing;
  private final Thread anchorer;

  private AnchoredLedger(EmbeddedLedger log, AuditContract contract, Credentials sender, long everyEntries, Duration everyPeriod) {
    this.log = log;
    this.contract = contract;
    this.sender = sender;
    this.everyEntries = everyEntries;
    this.everyPeriod = everyPeriod;
    List<ChainAnchor> previous = contract.anchors();
    this.anchoredSize = previous.isEmpty() ? 0 : previous.get(previous.size() - 1).checkpoint().treeSize();
    this.lastAnchor = previous.isEmpty() ? null : previous.get(previous.size() - 1);
    this.anchorer = Thread.ofPlatform().name("covenant-ledger-anchorer").daemon().unstarted(this::anchorLoop);
    anchorer.start();
  }

  /**
   * Opens the embedded ledger in {@code dir} and anchors its checkpoints on {@code contract}.
   *
   * @param sender the member account (the operator's) that sends the anchoring transactions
   * @param everyEntries anchor when this many entries were appended since the last anchor
   * @param everyPeriod anchor at least this often while entries arrive
   */
  public static AnchoredLedger open(Path dir, io.covenant.core.crypto.SigningKey logKey, AuditContract contract, Credentials sender, long everyEntries,
      Duration everyPeriod) {
    if (contract == null || sender == null || everyPeriod == null || everyPeriod.isNegative() || everyPeriod.isZero() || everyEntries < 1) {
      throw new MalformedInputException("an anchored ledger needs the audit contract, a member account, and a positive entry count and period");
    }
    EmbeddedLedger log = EmbeddedLedger.open(dir, logKey);
    try {
      return new AnchoredLedger(log, contract, sender, everyEntries, everyPeriod);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  @Override
  public LedgerEntry append(SignedEvent event) {
    LedgerEntry e = log.append(event);
    if (e.index() + 1 - anchoredSizeNow() >= everyEntries) {
      lock.lock();
      try {
        due.signal();
      } finally {
        lock.unlock();
      }
    }
    return e;
  }

  @Override
  public List<LedgerEntry> appendAll(List<SignedEvent> events) {
    List<LedgerEntry> appended = log.appendAll(events);
    if (appended.get(appended.size() - 1).index() + 1 - anchoredSizeNow() >= everyEntries) {
      lock.lock();
      try {
        due.signal();
      } finally {
        lock.unlock();
      }
    }
    return appended;
  }

  private long anchoredSizeNow() {
    lock.lock();
    try {
      return anchoredSize;
    } finally {
      lock.unlock();
    }
  }

  /** Anchors the current checkpoint now, unless it is already anchored; returns the latest anchor. */
  public Optional<ChainAnchor> anchorNow() {
    synchronized (anchoring) {
      SignedCheckpoint cp = log.checkpoint();
      lock.lock();
      try {
        if (cp.treeSize() == 0 || cp.treeSize() <= anchoredSize) return Optional.ofNullable(lastAnchor);
      } finally {
        lock.unlock();
      }
      ChainAnchor a = contract.anchor(sender, cp);
      lock.lock();
      try {
        anchoredSize = cp.treeSize();
        lastAnchor = a;
        lastFailure = null;
      } finally {
        lock.unlock();
      }
      return Optional.of(a);
    }
  }

  private void anchorLoop() {
    while (true) {
      lock.lock();
      try {
        if (closing) return;
        if (log.size() - anchoredSize < everyEntries) due.await(everyPeriod.toNanos(), TimeUnit.NANOSECONDS);
        if (closing) return;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        anchorNow();
      } catch (RuntimeException e) {
        lock.lock();
        try {
          lastFailure = e; // the node may be back next round; the log itself is unaffected
        } finally {
          lock.unlock();
        }
        sleepQuietly(everyPeriod);
      }
    }
  }

  private void sleepQuietly(Duration d) {
    lock.lock();
    try {
      if (!closing) due.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** The latest checkpoint this ledger knows to be anchored on chain. */
  public Optional<ChainAnchor> lastAnchor() {
    lock.lock();
    try {
      return Optional.ofNullable(lastAnchor);
    } finally {
      lock.unlock();
    }
  }

  /** Why the last background anchoring attempt failed, if it did and none has succeeded since. */
  public Optional<RuntimeException> lastAnchorFailure() {
    lock.lock();
    try {
      return Optional.ofNullable(lastFailure);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long size() {
    return log.size();
  }

  @Override
  public List<LedgerEntry> entries(long fromInclusive, long toExclusive) {
    return log.entries(fromInclusive, toExclusive);
  }

  @Override
  public List<LedgerEntry> entriesForJob(JobId job) {
    return log.entriesForJob(job);
  }

  @Override
  public Optional<AuditEvent.OrgRegistered> organisation(OrgId org) {
    return log.organisation(org);
  }

  @Override
  public SignedCheckpoint checkpoint() {
    return log.checkpoint();
  }

  @Override
  public InclusionProof proveInclusion(long index, long treeSize) {
    return log.proveInclusion(index, treeSize);
  }

  @Override
  public ConsistencyProof proveConsistency(long oldSize, long newSize) {
    return log.proveConsistency(oldSize, newSize);
  }

  @Override
  public void export(Path file) {
    log.export(file);
  }

  /**
   * Stops the anchoring thread, anchors the final checkpoint and closes the log.
   *
   * @throws LedgerStorageException if the final anchor could not be sent; the log is closed either way and its
   *     entries are safe, but the chain does not witness the last ones
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closing) return;
      closing = true;
      due.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (anchorer.isAlive()) {
      try {
        anchorer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    RuntimeException finalAnchor = null;
    try {
      anchorNow();
    } catch (RuntimeException e) {
      finalAnchor = e;
    } finally {
      log.close();
      if (interrupted) Thread.currentThread().interrupt();
    }
    if (finalAnchor != null) {
      throw new LedgerStorageException("the ledger closed, but its final checkpoint was not anchored on chain: " + finalAnchor.getMessage(), finalAnchor);
    }
  }

  @Override
  public String toString() {
    return "AnchoredLedger[" + log + ", anchored on " + contract.address() + "]";
  }
}

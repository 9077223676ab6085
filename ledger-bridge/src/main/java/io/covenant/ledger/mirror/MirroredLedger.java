package io.covenant.ledger.mirror;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.DurableFiles;
import io.covenant.ledger.merkle.MerkleTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An organisation's own verified copy of the consortium's log, read from a {@link LedgerSource} it does not trust
 * (the coordinator is trusted for liveness only). Every {@link #sync()} accepts new entries only if:
 *
 * <ul>
 *   <li>the source's checkpoint is signed by the pinned log key;
 *   <li>it covers at least every entry this mirror already holds (a shorter log is a rollback, refused), and the
 *       Merkle root (RFC 9162 §2.1) this mirror computes over its own entries plus the new ones equals the
 *       checkpoint's root — so the old entries are a prefix of the new tree (consistency by recomputation: the
 *       mirror holds every leaf) and the new ones are exactly those the operator signed for;
 *   <li>each new entry links to the previous entry's leaf hash, and its event verifies under its actor's registered
 *       key (an ORG_REGISTERED under the key it registers, once per organisation), the rules the log itself applies.
 * </ul>
 *
 * The last checkpoint accepted is kept in {@code stateFile}, so a restarted node still refuses a log that lost entries
 * it had seen. It is written in place, alternately to {@code stateFile} and a sibling {@code <name>.alt}, each with one
 * data sync, and read back as the newer of the two that verifies: a crash while writing one leaves the other, one
 * checkpoint older (the atomic rename it replaces cost two syncs on every append a node makes). Readers ({@link #entries}, {@link #organisation}, ...) see only verified entries. {@link #append} and
 * {@link #appendAll} hand the signed events to the source and return once they are, verified, in the mirror: the
 * source's answer carries the checkpoint that covers them, so no second request is needed.
 */
public final class MirroredLedger implements Ledger {
  private final LedgerSource source;
  private final VerifyingKey logKey;
  private final Optional<Path> stateFile;
  private final List<LedgerEntry> entries = new ArrayList<>();
  /** Each job's entries in log order: an owner reads a job's entries several times per key decision. */
  private final Map<JobId, List<LedgerEntry>> byJob = new HashMap<>();
  /** Hashed with the pinned log key's suite: a mirror never takes the suite from what the source says. */
  private final MerkleTree tree;
  private final Map<OrgId, AuditEvent.OrgRegistered> organisations = new HashMap<>();
  /** Each registered signing key decoded once: a node verifies every entry of every job, most under a handful of keys. */
  private final Map<VerifyingKey, VerifyingKey.Prepared> preparedKeys = new HashMap<>();
  private SignedCheckpoint latest;
  private boolean closed;
  /** The tree size of the newest checkpoint in the state slots (0 without any), read once when opened. */
  private long remembered;
  /** Which state slot holds that checkpoint: 0 the state file, 1 its sibling, -1 neither. */
  private int newestSlot = -1;

  /**
   * @param logKey the operator's log key, pinned from the consortium's configuration (never learnt from the source)
   * @param stateFile where the last accepted checkpoint is kept across restarts; empty to keep none
   */
  public MirroredLedger(LedgerSource source, VerifyingKey logKey, Optional<Path> stateFile) {
    if (source == null || logKey == null || stateFile == null) throw new MalformedInputException("a mirrored ledger needs its source, the pinned log key and a state file option");
    this.source = source;
    this.logKey = logKey;
    this.tree = new MerkleTree(logKey.suite());
    this.stateFile = stateFile;
    stateFile.ifPresent(this::readSlots);
    sync();
  }

  /** Fetches and verifies what the source added since the last sync; refuses a rolled-back or rewritten log. */
  public synchronized void sync() {
    ensureOpen();
    LedgerSource.LogUpdate update = source.since(entries.size());
    accept(update.checkpoint(), update.entries(), true);
  }

  /**
   * Verifies a log update that reached this node by another way than its own request (a key request carries the one
   * the coordinator stapled to the job: {@code offered}) and takes its entries, exactly as {@link #sync()} takes what it
   * fetches: the checkpoint must be signed by the pinned log key and cover at least what this mirror holds, every entry
   * must link and verify, and the root must match; entries between what this mirror holds and the offered ones are
   * paged from the source. An update no newer than the mirror is ignored. Unlike a sync, it does not rewrite the state
   * file: whoever acts on it appends next, and that append's answer is remembered.
   */
  public synchronized void catchUp(LedgerSource.LogUpdate offered) {
    ensureOpen();
    if (offered.checkpoint().treeSize() <= entries.size()) return;
    accept(offered.checkpoint(), offered.entries(), false);
  }

  /**
   * Verifies {@code cp} and the entries up to it, taking those it needs from {@code offered} (untrusted, checked like
   * any page) and paging the source for the rest; keeps nothing unless all of it verifies.
   */
  private void accept(SignedCheckpoint cp, List<LedgerEntry> offered, boolean rememberIt) {
    if (!cp.logKey().equals(logKey) || !cp.verify()) {
      throw new IntegrityException(source.describe() + " served a checkpoint that is not signed by the consortium's log key " + logKey.shortForm()
          + "…: it is not this consortium's log, or it was forged; this node will not trust it");
    }
    long known = Math.max(entries.size(), remembered);
    if (cp.treeSize() < known) {
      throw new IntegrityException(source.describe() + " now serves a log of " + cp.treeSize() + " entries, but this node already verified "
          + known + ": entries were removed (a rollback). Nothing is released until the operator restores the log");
    }
    List<LedgerEntry> fresh = new ArrayList<>();
    long next = entries.size();
    Map<Long, LedgerEntry> sentAlong = new HashMap<>();
    for (LedgerEntry e : offered) sentAlong.put(e.index(), e);
    while (next < cp.treeSize()) {
      LedgerEntry along = sentAlong.get(next);
      if (along != null) {
        fresh.add(along);
        next++;
        continue;
      }
      List<LedgerEntry> page = source.entries(next, cp.treeSize());
      if (page.isEmpty()) throw new CovenantException(source.describe() + " returned no entries from " + next + " although its checkpoint covers " + cp.treeSize());
      for (LedgerEntry e : page) {
        if (e.index() != next) throw new IntegrityException(source.describe() + " returned entry " + e.index() + " where entry " + next + " was asked for");
        fresh.add(e);
        next++;
      }
    }
    // Verify before keeping anything: a bad entry leaves the mirror as it was. The root over the held entries plus the
    // fresh ones is computed from the tree's right edge, not from a copy of every leaf (a sync costs O(new + log n)).
    List<Digest> freshLeaves = new ArrayList<>(fresh.size());
    Map<OrgId, AuditEvent.OrgRegistered> orgs = new HashMap<>(organisations);
    Digest previous = entries.isEmpty() ? LedgerEntry.NO_PREVIOUS : entries.get(entries.size() - 1).leafHash();
    for (LedgerEntry e : fresh) {
      if (e.suite() != tree.suite()) {
        throw new IntegrityException("entry " + e.index() + " from " + source.describe() + " claims the " + e.suite().id() + " crypto suite, but the consortium's log runs on "
            + tree.suite().id() + ": a ledger never mixes suites; this node will not trust it");
      }
      if (!e.previous().equals(previous)) {
        throw new IntegrityException("entry " + e.index() + " from " + source.describe() + " does not link to the entry before it: the log was rewritten");
      }
      checkSignature(e, orgs);
      previous = e.leafHash();
      freshLeaves.add(previous);
    }
    if (!tree.rootWithAppended(freshLeaves).equals(cp.rootHash())) {
      throw new IntegrityException(source.describe() + " signed a checkpoint of " + cp.treeSize() + " entries whose root is not the root of the entries it serves"
          + (entries.isEmpty() ? "" : " on top of the " + entries.size() + " this node verified before") + ": the log was rewritten (a fork); "
          + "this node will not trust it");
    }
    entries.addAll(fresh);
    for (LedgerEntry e : fresh) e.event().event().job().ifPresent(job -> byJob.computeIfAbsent(job, j -> new ArrayList<>()).add(e));
    for (Digest leaf : freshLeaves) tree.append(leaf);
    organisations.putAll(orgs);
    latest = cp;
    if (rememberIt) stateFile.ifPresent(f -> remember(f, cp));
  }

  private void checkSignature(LedgerEntry e, Map<OrgId, AuditEvent.OrgRegistered> orgs) {
    SignedEvent s = e.event();
    byte[] statement = s.statement().canonicalBytes();
    String why = null;
    if (s.event() instanceof AuditEvent.OrgRegistered reg) {
      if (!reg.org().equals(s.actor())) why = "it registers " + reg.org() + " but is signed as " + s.actor();
      else if (orgs.containsKey(reg.org())) why = reg.org() + " was already registered";
      else if (!reg.signingKey().verify(statement, s.signature())) why = "it is not self-signed by the key it registers";
      else orgs.put(reg.org(), reg);
    } else {
      AuditEvent.OrgRegistered r = orgs.get(s.actor());
      if (r == null) why = "it is signed by " + s.actor() + ", which has no earlier ORG_REGISTERED";
      else if (!preparedKeys.computeIfAbsent(r.signingKey(), VerifyingKey::prepared).verify(statement, s.signature())) {
        why = "its signature does not verify against " + s.actor() + "'s registered key";
      }
    }
    if (why != null) throw new IntegrityException("entry " + e.index() + " (" + s.event().type() + ") fails verification: " + why + "; the log was altered");
  }

  private static Path slot(Path f, int n) {
    return n == 0 ? f : f.resolveSibling(f.getFileName() + ".alt");
  }

  /**
   * Reads both state slots and keeps the newer valid checkpoint's size. A slot that does not parse is a write a crash
   * cut short and is passed over while the other verifies; a checkpoint not signed by the log key means the file was
   * edited, and is refused.
   */
  private void readSlots(Path f) {
    boolean anyTorn = false;
    for (int n = 0; n < 2; n++) {
      Path p = slot(f, n);
      if (!Files.exists(p)) continue;
      SignedCheckpoint cp;
      try {
        cp = SignedCheckpoint.fromJson(Json.parseObject(Files.readAllBytes(p)));
      } catch (MalformedInputException torn) {
        anyTorn = true;
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + p, e);
      }
      if (!cp.logKey().equals(logKey) || !cp.verify()) {
        throw new IntegrityException(p + " holds a checkpoint not signed by the consortium's log key; it was edited. Remove it only if you know why");
      }
      if (newestSlot < 0 || cp.treeSize() > remembered) {
        remembered = cp.treeSize();
        newestSlot = n;
      }
    }
    if (anyTorn && newestSlot < 0) {
      throw new IntegrityException(f + " (and its .alt sibling) hold no readable checkpoint: the file was edited or damaged. Remove it only if you know why");
    }
  }

  private void remember(Path f, SignedCheckpoint cp) {
    int target = newestSlot == 0 ? 1 : 0;
    Path p = slot(f, target);
    try {
      Files.createDirectories(p.toAbsolutePath().getParent());
      DurableFiles.overwriteDurably(p, cp.toJson().encode().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the last verified checkpoint in " + p, e);
    }
    newestSlot = target;
    remembered = cp.treeSize();
  }

  @Override
  public LedgerEntry append(SignedEvent event) {
    return appendAll(List.of(event)).get(0);
  }

  /**
   * Hands the events to the source as one batch and verifies them into the mirror from its answer: the entries they
   * became and a checkpoint covering them, checked exactly as a {@link #sync()} checks what it fetches (signature by the
   * pinned log key, hash links, each event's signature, the Merkle root over everything held), so an append costs one
   * round trip to the coordinator instead of an append, a checkpoint and an entries request.
   */
  @Override
  public List<LedgerEntry> appendAll(List<SignedEvent> events) {
    ensureOpen();
    LedgerSource.LogUpdate answer = source.appendAll(events, size());
    synchronized (this) {
      // A concurrent sync may already hold a later checkpoint than the answer's; the entries are then held already.
      if (answer.checkpoint().treeSize() > entries.size()) accept(answer.checkpoint(), answer.entries(), true);
      List<LedgerEntry> out = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        SignedEvent event = events.get(i);
        // The answer may carry others' entries before and after this caller's (appendAll with what it holds).
        long at = answer.entries().stream().filter(e -> e.event().equals(event)).mapToLong(LedgerEntry::index).findFirst().orElse(-1);
        if (at < 0 || at >= entries.size() || !entries.get((int) at).event().equals(event)) {
          throw new IntegrityException(source.describe() + " says it appended " + event.actor() + "'s " + event.event().type()
              + (at < 0 ? "" : " as entry " + at) + ", but the verified log does not hold it there: the event was dropped or replaced");
        }
        out.add(entries.get((int) at));
      }
      return out;
    }
  }

  @Override
  public synchronized long size() {
    return entries.size();
  }

  @Override
  public synchronized List<LedgerEntry> entries(long fromInclusive, long toExclusive) {
    if (fromInclusive < 0 || toExclusive < fromInclusive || toExclusive > entries.size()) {
      throw new MalformedInputException("entries [" + fromInclusive + ", " + toExclusive + ") are outside the mirrored log of " + entries.size());
    }
    return List.copyOf(entries.subList((int) fromInclusive, (int) toExclusive));
  }

  @Override
  public synchronized List<LedgerEntry> entriesForJob(JobId job) {
    return List.copyOf(byJob.getOrDefault(job, List.of()));
  }

  @Override
  public synchronized Optional<AuditEvent.OrgRegistered> organisation(OrgId org) {
    return Optional.ofNullable(organisations.get(org));
  }

  /** The last checkpoint this mirror verified (it cannot sign one of its own). */
  @Override
  public synchronized SignedCheckpoint checkpoint() {
    return latest;
  }

  @Override
  public synchronized InclusionProof proveInclusion(long index, long treeSize) {
    return new InclusionProof(index, treeSize, tree.inclusionPath(index, treeSize), tree.suite());
  }

  @Override
  public synchronized ConsistencyProof proveConsistency(long oldSize, long newSize) {
    return new ConsistencyProof(oldSize, newSize, tree.consistencyPath(oldSize, newSize), tree.suite());
  }

  @Override
  public synchronized void export(Path file) {
    StringBuilder out = new StringBuilder(latest.toJson().encode()).append('\n');
    for (LedgerEntry e : entries) out.append(e.toJson().encode()).append('\n');
    try {
      Files.writeString(file, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void ensureOpen() {
    if (closed) throw new CovenantException("the mirrored ledger is closed");
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}

package io.covenant.ledger.embedded;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
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
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.merkle.MerkleTree;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.segment.SegmentFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default ledger: a signed, hash-linked, Merkle-committed log in a local directory (layout in
 * {@link LedgerDirectory}).
 *
 * <p>Durability. Entries are appended to segment files as length-prefixed, CRC32C-checked records
 * ({@link SegmentFile}). One writer thread owns the files: appenders sequence their entry under a short lock, hand
 * the record over and block until it is on disk. Records that arrive while the writer is in {@code fsync} are
 * written and synced together (group commit), so N concurrent appenders pay for about one {@code fsync}, not N.
 * An append returns only after its record, and every record before it, has been fsync'd.
 *
 * <p>Recovery. On open every segment is read back, checksums and hash links checked and the Merkle tree rebuilt. A
 * partial record at the very end (a crash mid-write; never acknowledged) is truncated. A bad record with valid
 * records after it is damage, not a crash, and open fails naming the entry and the segment. Every persisted
 * checkpoint must still match the entries: a log that lost acknowledged entries or was rewritten does not open.
 *
 * <p>The ledger checks who may write (signatures, registration) but not what a job may do next; that is
 * {@code LedgerVerifier}'s, so the audit never depends on the operator's code.
 */
public final class EmbeddedLedger implements Ledger {
  static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  private static final int READ_CHUNK = 4096;

  /** An organisation's registration, with its public key decoded once ({@link VerifyingKey#prepared}). */
  private record Registration(long index, AuditEvent.OrgRegistered event, VerifyingKey.Prepared key) {
    Registration(long index, AuditEvent.OrgRegistered event) {
      this(index, event, event.signingKey().prepared());
    }

    boolean verifies(byte[] statement, Signature signature) {
      return key.verify(statement, signature);
    }
  }

  /** A sequenced record on its way to disk; {@code durable} completes once it is fsync'd (or the writer failed). */
  private record Pending(long index, long segmentFirst, byte[] frame, LedgerEntry entry, CompletableFuture<Void> durable) {}

  private record ReadSpan(Path file, long firstIndex, int count, long from, long to) {}

  private final Path dir;
  private final SigningKey logKey;
  private final long maxSegmentBytes;
  private final FileChannel lockChannel;
  private final FileLock fileLock;
  private final CheckpointLog checkpointLog;
  /** The consortium's crypto suite, the log key's own: it hashes the tree, and every entry and checkpoint records it. */
  private final CryptoSuite suite;
  private final MerkleTree tree;
  private final Map<OrgId, Registration> orgs = new ConcurrentHashMap<>();
  /** Organisations whose certificate an ORG_REVOKED revoked, with that entry's index: the log takes nothing more from them. */
  private final Map<OrgId, Long> revoked = new ConcurrentHashMap<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  // Guarded by lock:
  private final SegmentIndex segments = new SegmentIndex();
  private final Map<JobId, LongArray> jobs = new HashMap<>();
  private long sequenced;
  private byte[] lastLeaf = LedgerEntry.NO_PREVIOUS.bytes();
  private List<Pending> pending = new ArrayList<>();
  private Throwable failure;
  private boolean closing;
  private boolean closed;
  // Entries below this index are fsync'd. Written only by recovery and then the writer thread:
  private volatile long durable;

  private final Object checkpointLock = new Object();
  private SignedCheckpoint lastCheckpoint; // guarded by checkpointLock

  // Owned by the writer thread once it starts.
  private FileChannel segmentChannel;
  private long segmentChannelFirst;
  private final Thread writer;

  private EmbeddedLedger(Path dir, SigningKey logKey, long maxSegmentBytes) {
    this.dir = dir.toAbsolutePath();
    this.logKey = logKey;
    this.suite = logKey.suite();
    this.tree = new MerkleTree(suite);
    this.maxSegmentBytes = maxSegmentBytes;
    this.checkpointLog = new CheckpointLog(LedgerDirectory.checkpointsFile(this.dir));
    FileChannel lc = null;
    FileLock fl = null;
    try {
      Files.createDirectories(LedgerDirectory.segmentsDir(this.dir));
      lc = FileChannel.open(this.dir.resolve(LedgerDirectory.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        fl = lc.tryLock();
      } catch (OverlappingFileLockException e) {
        fl = null;
      }
      if (fl == null) {
        throw new LedgerStorageException("the ledger in " + this.dir + " is already open (in this or another process); close it there first");
      }
      recover();
    } catch (IOException e) {
      closeQuietly(segmentChannel);
      closeQuietly(lc);
      throw new LedgerStorageException("cannot open the ledger in " + this.dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(segmentChannel);
      closeQuietly(lc);
      throw e;
    }
    this.lockChannel = lc;
    this.fileLock = fl;
    this.writer = Thread.ofPlatform().name("covenant-ledger-writer").daemon().unstarted(this::writeLoop);
    writer.start();
  }

  /**
   * Opens the ledger in {@code dir}, creating it if empty. {@code logKey} signs checkpoints; a ledger must always be
   * opened with the key it was created with.
   *
   * @throws IntegrityException if the files were damaged or rewritten (the message names the entry and file)
   * @throws LedgerStorageException if the directory cannot be used, is open elsewhere, or belongs to another key
   */
  public static EmbeddedLedger open(Path dir, SigningKey logKey) {
    return open(dir, logKey, DEFAULT_SEGMENT_BYTES);
  }

  static EmbeddedLedger open(Path dir, SigningKey logKey, long maxSegmentBytes) {
    if (dir == null || logKey == null) throw new MalformedInputException("opening a ledger needs a directory and the log's signing key");
    return new EmbeddedLedger(dir, logKey, maxSegmentBytes);
  }

  // ---------------------------------------------------------------- recovery

  private void recover() throws IOException {
    List<LedgerDirectory.Segment> files;
    try {
      files = LedgerDirectory.segments(dir);
    } catch (MalformedInputException e) {
      throw new LedgerStorageException(e.getMessage(), e);
    }
    List<SignedCheckpoint> cps = checkpointLog.recover();
    // Entries no persisted checkpoint covers are vouched for by nothing but their signatures: check those on open,
    // so a tail edited while the ledger was closed (perhaps with its last checkpoint removed) is refused, not served.
    long covered = cps.stream().mapToLong(SignedCheckpoint::treeSize).max().orElse(0);
    long expected = 0;
    for (int k = 0; k < files.size(); k++) {
      LedgerDirectory.Segment f = files.get(k);
      String name = f.file().getFileName().toString();
      if (f.firstIndex() != expected) {
        throw new IntegrityException(
            "segment " + name + " of the ledger in " + dir + " starts at entry " + f.firstIndex() + " but entry " + expected
                + " was expected next: a segment file is missing or was renamed; restore it from a backup");
      }
      byte[] data = Files.readAllBytes(f.file());
      SegmentFile.Scan scan = SegmentFile.scan(data);
      boolean last = k == files.size() - 1;
      if (scan.ending() == SegmentFile.Ending.DAMAGED || (scan.ending() == SegmentFile.Ending.TORN && !last)) {
        throw new IntegrityException(
            "entry " + (expected + scan.count()) + " in segment " + name + " of the ledger in " + dir + " fails its checksum at byte "
                + scan.validLength() + (last ? ", and valid entries follow it" : ", and it is not the last segment")
                + ": the file was damaged after it was written, not cut short by a crash. Restore the segment from a backup; do not delete it");
      }
      SegmentIndex.Segment seg = segments.add(f.firstIndex(), f.file());
      for (int i = 0; i < scan.count(); i++) {
        byte[] payload = scan.payload(i);
        LedgerEntry e = parseStored(payload, expected, name);
        if (expected >= covered) checkTailSignature(e, expected, covered, name);
        recoverEntry(e, payload, expected, name);
        seg.offsets.add(scan.offset(i));
        expected++;
      }
      seg.length = scan.validLength();
      if (scan.ending() == SegmentFile.Ending.TORN) {
        // A crash cut the last write short; that record was never acknowledged, so dropping it loses nothing.
        try (FileChannel ch = FileChannel.open(f.file(), StandardOpenOption.WRITE)) {
          ch.truncate(scan.validLength());
          ch.force(true);
        }
      }
    }
    sequenced = expected;
    durable = expected;
    if (files.isEmpty()) {
      Path first = LedgerDirectory.segmentFile(dir, 0);
      Files.createFile(first);
      DurableFiles.syncDirectory(LedgerDirectory.segmentsDir(dir));
      DurableFiles.syncDirectory(dir);
      segments.add(0, first);
    }
    SegmentIndex.Segment tail = segments.last();
    segmentChannel = FileChannel.open(tail.file, StandardOpenOption.WRITE);
    segmentChannel.position(tail.length);
    segmentChannelFirst = tail.firstIndex;
    recoverCheckpoints(cps);
  }

  private void checkTailSignature(LedgerEntry e, long index, long covered, String segment) {
    SignedEvent s = e.event();
    byte[] statement = s.statement().canonicalBytes();
    String why = null;
    if (s.event() instanceof AuditEvent.OrgRegistered reg) {
      if (!reg.org().equals(s.actor())) why = "it registers " + reg.org() + " but is signed as " + s.actor();
      else if (orgs.containsKey(reg.org())) why = reg.org() + " was already registered at entry " + orgs.get(reg.org()).index();
      else if (!reg.signingKey().verify(statement, s.signature())) why = "it is not self-signed by the key it registers";
    } else {
      Registration r = orgs.get(s.actor());
      if (r == null) why = "it is signed by " + s.actor() + ", which has no earlier ORG_REGISTERED";
      else if (!r.verifies(statement, s.signature())) why = "its signature by " + s.actor() + " does not verify against " + s.actor() + "'s registered key";
    }
    if (why != null) {
      throw new IntegrityException(
          "entry " + index + " (" + s.event().type() + ") in segment " + segment + " of the ledger in " + dir + " comes after the last checkpoint ("
              + covered + " entries) and fails verification: " + why + ". It was altered after it was written; the ledger will not open. "
              + "Restore the segment from a backup, and audit the log with 'covenant verify'");
    }
  }

  private LedgerEntry parseStored(byte[] payload, long index, String segment) {
    try {
      return LedgerEntry.fromJson(Json.parseObject(payload));
    } catch (MalformedInputException e) {
      throw new IntegrityException(
          "entry " + index + " in segment " + segment + " of the ledger in " + dir + " passes its checksum but does not parse ("
              + e.getMessage() + "): the segment was edited; restore it from a backup");
    }
  }

  private void recoverEntry(LedgerEntry e, byte[] payload, long expected, String segment) {
    if (e.index() != expected) {
      throw new IntegrityException(
          "segment " + segment + " of the ledger in " + dir + " holds entry " + e.index() + " where entry " + expected
              + " belongs: entries were removed, duplicated or reordered; restore the segment from a backup");
    }
    if (!Arrays.equals(e.previous().bytes(), lastLeaf)) {
      throw new IntegrityException(
          "entry " + expected + " (" + e.event().event().type() + ") in segment " + segment + " of the ledger in " + dir
              + " does not link to entry " + (expected - 1) + ": an entry was altered; restore the segment from a backup");
    }
    if (!Arrays.equals(payload, e.leafBytes())) {
      throw new IntegrityException(
          "entry " + expected + " in segment " + segment + " of the ledger in " + dir + " is not in canonical form: it was edited; restore the segment from a backup");
    }
    if (e.suite() != suite) {
      throw new IntegrityException("entry " + expected + " in segment " + segment + " of the ledger in " + dir + " claims the " + e.suite().id()
          + " crypto suite, but this ledger runs on " + suite.id() + " (its log key's): a ledger never mixes suites; restore the segment from a backup");
    }
    Digest leaf = MerkleTree.leafHash(suite, payload);
    tree.append(leaf);
    lastLeaf = leaf.bytes();
    if (e.event().event() instanceof AuditEvent.OrgRegistered reg) orgs.putIfAbsent(reg.org(), new Registration(expected, reg));
    if (e.event().event() instanceof AuditEvent.OrgRevoked rev) revoked.putIfAbsent(rev.org(), expected);
    e.event().event().job().ifPresent(j -> jobs.computeIfAbsent(j, x -> new LongArray()).add(expected));
  }

  private void recoverCheckpoints(List<SignedCheckpoint> cps) throws IOException {
    VerifyingKey ours = logKey.verifyingKey();
    for (SignedCheckpoint cp : cps) {
      if (!cp.logKey().equals(ours)) {
        throw new LedgerStorageException(
            "the ledger in " + dir + " is signed with log key " + cp.logKey().shortForm() + "…, but was opened with key "
                + ours.shortForm() + "…: open it with the key it was created with");
      }
      if (!cp.verify()) {
        throw new IntegrityException(
            "the checkpoint of " + cp.treeSize() + " entries signed at " + cp.at() + " in " + LedgerDirectory.checkpointsFile(dir)
                + " has an invalid signature: the checkpoint file was edited; restore it from a backup");
      }
      if (cp.treeSize() > sequenced) {
        throw new IntegrityException(
            "the checkpoint signed at " + cp.at() + " covers " + cp.treeSize() + " entries but the segments in " + dir + " hold only "
                + sequenced + ": acknowledged entries are missing; restore the segments from a backup");
      }
      if (!tree.root(cp.treeSize()).equals(cp.rootHash())) {
        throw new IntegrityException(
            "the first " + cp.treeSize() + " entries of the ledger in " + dir + " no longer match the checkpoint signed at " + cp.at()
                + ": the log was rewritten; restore the segments from a backup");
      }
    }
    if (cps.isEmpty() || cps.get(cps.size() - 1).treeSize() != sequenced) {
      // Pins the log key to this directory at once, and re-commits to what recovery found.
      SignedCheckpoint cp = SignedCheckpoint.sign(sequenced, tree.root(sequenced), Instant.now(), logKey);
      checkpointLog.append(cp);
      lastCheckpoint = cp;
    } else {
      lastCheckpoint = cps.get(cps.size() - 1);
    }
  }

  // ---------------------------------------------------------------- append

  @Override
  public LedgerEntry append(SignedEvent event) {
    if (event == null) throw new MalformedInputException("append needs a signed event");
    byte[] canonicalEvent = checkedForAppend(event);
    Pending p;
    lock.lock();
    try {
      ensureOpen();
      admit(event);
      p = sequence(event, canonicalEvent);
    } finally {
      lock.unlock();
    }
    awaitDurable(p);
    return p.entry();
  }

  /**
   * Appends {@code events} as consecutive entries with one group commit: each is checked as {@link #append} checks it,
   * and all of them before any is sequenced, so a batch with one event that fails (a bad signature, an unregistered or
   * revoked actor) appends nothing. Registrations and revocations change who may write and are appended alone.
   */
  @Override
  public List<LedgerEntry> appendAll(List<SignedEvent> events) {
    if (events == null || events.isEmpty()) throw new MalformedInputException("a batch append needs at least one signed event");
    if (events.size() == 1) return List.of(append(events.get(0)));
    List<byte[]> canonical = new ArrayList<>(events.size());
    for (SignedEvent event : events) {
      if (event == null) throw new MalformedInputException("a batch append holds no signed event at one of its places");
      if (event.event() instanceof AuditEvent.OrgRegistered || event.event() instanceof AuditEvent.OrgRevoked) {
        throw rejected(event, "it changes who may write to the log, so it is appended alone, not in a batch; nothing in the batch was appended");
      }
      try {
        canonical.add(checkedForAppend(event));
      } catch (LedgerRejectedException e) {
        throw wholeBatch(e);
      }
    }
    List<Pending> sequenced = new ArrayList<>(events.size());
    lock.lock();
    try {
      ensureOpen();
      for (SignedEvent event : events) {
        try {
          admit(event);
        } catch (LedgerRejectedException e) {
          throw wholeBatch(e);
        }
      }
      // Every event passed: nothing below can fail, so the batch is sequenced whole, in order, with no entry between.
      for (int i = 0; i < events.size(); i++) sequenced.add(sequence(events.get(i), canonical.get(i)));
    } finally {
      lock.unlock();
    }
    List<LedgerEntry> out = new ArrayList<>(sequenced.size());
    for (Pending p : sequenced) {
      awaitDurable(p);
      out.add(p.entry());
    }
    return out;
  }

  private static LedgerRejectedException wholeBatch(LedgerRejectedException rejected) {
    return new LedgerRejectedException(rejected.getMessage() + "; nothing in the batch was appended");
  }

  /**
   * The checks that need no lock (signatures are the expensive part; they run in the caller, in parallel with other
   * appenders); returns the event's canonical bytes.
   */
  private byte[] checkedForAppend(SignedEvent event) {
    AuditEvent ev = event.event();
    OrgId actor = event.actor();
    byte[] statement = event.statement().canonicalBytes();
    if (ev instanceof AuditEvent.OrgRegistered reg) {
      if (!reg.org().equals(actor)) {
        throw rejected(event, "it registers " + reg.org() + " but is signed as " + actor + "; an organisation registers itself");
      }
      if (reg.signingKey().suite() != suite || reg.encryptionKey().suite() != suite) {
        throw rejected(event, "it registers keys of the " + reg.signingKey().suite().id() + " crypto suite, but this consortium's ledger runs on "
            + suite.id() + "; a ledger never mixes suites: create the organisation's keys under " + suite.id());
      }
      if (!reg.signingKey().verify(statement, event.signature())) {
        throw rejected(event, "it is not self-signed by the key it registers; sign the registration with that key");
      }
    } else {
      Registration r = orgs.get(actor);
      if (r == null) throw rejected(event, actor + " has not registered; record its ORG_REGISTERED first");
      if (!r.verifies(statement, event.signature())) {
        throw rejected(event, "its signature does not verify against " + actor + "'s registered key: it was altered after signing or signed with another key");
      }
    }
    byte[] canonicalEvent = EntryEncoding.signedEvent(statement, event.signature().hex());
    if (canonicalEvent.length > SegmentFile.MAX_PAYLOAD_BYTES - 256) {
      throw rejected(event, "it is " + canonicalEvent.length + " bytes; ledger events hold ids and hashes only and must stay under 4 MiB");
    }
    return canonicalEvent;
  }

  /** The checks that depend on the log's state: a second registration, a revoked actor. Under {@link #lock}. */
  private void admit(SignedEvent event) {
    if (event.event() instanceof AuditEvent.OrgRegistered reg) {
      Registration existing = orgs.get(reg.org());
      if (existing != null) {
        throw rejected(event, reg.org() + " is already registered (entry " + existing.index() + "); an organisation registers once");
      }
    }
    Long revokedAt = revoked.get(event.actor());
    if (revokedAt != null) {
      throw rejected(event, event.actor() + "'s certificate was revoked at entry " + revokedAt + " (ORG_REVOKED); the log accepts nothing more it signs");
    }
  }

  /** Gives an admitted event its index and hands its record to the writer. Under {@link #lock}; cannot fail. */
  private Pending sequence(SignedEvent event, byte[] canonicalEvent) {
    AuditEvent ev = event.event();
    long index = sequenced;
    Digest previous = Digest.of(lastLeaf);
    byte[] leafBytes = EntryEncoding.leafBytes(canonicalEvent, index, previous.hex(), suite);
    Digest leaf = MerkleTree.leafHash(suite, leafBytes);
    byte[] frame = SegmentFile.frame(leafBytes);
    SegmentIndex.Segment seg = segments.last();
    if (seg.length > 0 && seg.length + frame.length > maxSegmentBytes) {
      seg = segments.add(index, LedgerDirectory.segmentFile(dir, index));
    }
    // Nothing below can fail, so the in-memory state never runs ahead of a record that was not handed over.
    seg.offsets.add(seg.length);
    seg.length += frame.length;
    tree.append(leaf);
    lastLeaf = leaf.bytes();
    sequenced = index + 1;
    if (ev instanceof AuditEvent.OrgRegistered reg) orgs.put(reg.org(), new Registration(index, reg));
    if (ev instanceof AuditEvent.OrgRevoked rev) revoked.putIfAbsent(rev.org(), index);
    ev.job().ifPresent(j -> jobs.computeIfAbsent(j, x -> new LongArray()).add(index));
    Pending p = new Pending(index, seg.firstIndex, frame, new LedgerEntry(index, event, previous, suite), new CompletableFuture<>());
    pending.add(p);
    if (pending.size() == 1) workAvailable.signal();
    return p;
  }

  private void awaitDurable(Pending p) {
    try {
      // Only this appender is woken when its record is durable: no herd of waiters re-taking the lock per fsync.
      p.durable().join();
    } catch (CompletionException e) {
      throw storageFailed();
    }
  }

  private static LedgerRejectedException rejected(SignedEvent e, String why) {
    return new LedgerRejectedException(e.actor() + "'s " + e.event().type() + " was rejected: " + why);
  }

  /** The single writer: takes whatever has queued up, writes it, fsyncs once, and wakes the appenders it covers. */
  private void writeLoop() {
    while (true) {
      List<Pending> batch;
      lock.lock();
      try {
        while (pending.isEmpty() && !closing) workAvailable.awaitUninterruptibly();
        if (pending.isEmpty()) return;
        batch = pending;
        pending = new ArrayList<>();
      } finally {
        lock.unlock();
      }
      try {
        writeAndSync(batch);
      } catch (IOException | RuntimeException | Error e) {
        List<Pending> abandoned;
        lock.lock();
        try {
          failure = e; // After a failed fsync the page cache cannot be trusted: stop, and let reopen recover.
          abandoned = pending;
          pending = new ArrayList<>();
        } finally {
          lock.unlock();
        }
        for (Pending p : batch) p.durable().completeExceptionally(e);
        for (Pending p : abandoned) p.durable().completeExceptionally(e);
        return;
      }
      durable = batch.get(batch.size() - 1).index() + 1;
      for (Pending p : batch) p.durable().complete(null);
    }
  }

  private void writeAndSync(List<Pending> batch) throws IOException {
    int i = 0;
    while (i < batch.size()) {
      long segFirst = batch.get(i).segmentFirst();
      if (segFirst != segmentChannelFirst) {
        segmentChannel.force(false);
        segmentChannel.close();
        segmentChannel = FileChannel.open(
            LedgerDirectory.segmentFile(dir, segFirst), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentChannelFirst = segFirst;
        DurableFiles.syncDirectory(LedgerDirectory.segmentsDir(dir));
      }
      int j = i;
      while (j < batch.size() && batch.get(j).segmentFirst() == segFirst) j++;
      ByteBuffer[] buffers = new ByteBuffer[j - i];
      for (int k = i; k < j; k++) buffers[k - i] = ByteBuffer.wrap(batch.get(k).frame());
      DurableFiles.writeFully(segmentChannel, buffers);
      i = j;
    }
    segmentChannel.force(false);
  }

  private void ensureOpen() {
    if (closing || closed) throw new LedgerStorageException("the ledger in " + dir + " is closed; open it again to use it");
    if (failure != null) throw storageFailed();
  }

  private LedgerStorageException storageFailed() {
    return new LedgerStorageException(
        "the ledger in " + dir + " could not write to disk (" + failure + "); it accepts nothing more: fix the disk and reopen it, which recovers every acknowledged entry",
        failure);
  }

  // ---------------------------------------------------------------- queries

  @Override
  public long size() {
    return durable;
  }

  @Override
  public List<LedgerEntry> entries(long fromInclusive, long toExclusive) {
    long n = durable;
    if (fromInclusive < 0 || fromInclusive > toExclusive || toExclusive > n) {
      throw new MalformedInputException(
          "entries [" + fromInclusive + ", " + toExclusive + ") are not in the ledger: it holds entries [0, " + n + ")");
    }
    List<LedgerEntry> out = new ArrayList<>((int) Math.min(toExclusive - fromInclusive, 1 << 16));
    for (ReadSpan span : plan(fromInclusive, toExclusive)) out.addAll(read(span));
    return out;
  }

  @Override
  public List<LedgerEntry> entriesForJob(JobId job) {
    long n = durable;
    List<Long> indexes = new ArrayList<>();
    lock.lock();
    try {
      ensureOpen();
      LongArray a = jobs.get(job);
      if (a != null) {
        for (int i = 0; i < a.size() && a.get(i) < n; i++) indexes.add(a.get(i));
      }
    } finally {
      lock.unlock();
    }
    List<LedgerEntry> out = new ArrayList<>(indexes.size());
    for (long i : indexes) out.addAll(entries(i, i + 1));
    return out;
  }

  @Override
  public Optional<AuditEvent.OrgRegistered> organisation(OrgId org) {
    Registration r = orgs.get(org);
    return r != null && r.index() < durable ? Optional.of(r.event()) : Optional.empty();
  }

  /** Which byte ranges of which segments hold entries [from, to); all of them durable. */
  private List<ReadSpan> plan(long from, long to) {
    List<ReadSpan> spans = new ArrayList<>();
    lock.lock();
    try {
      ensureOpen();
      long i = from;
      while (i < to) {
        SegmentIndex.Segment s = segments.find(i);
        long end = Math.min(Math.min(to, s.endIndex()), i + READ_CHUNK);
        long startOffset = s.offsets.get((int) (i - s.firstIndex));
        long endOffset = end < s.endIndex() ? s.offsets.get((int) (end - s.firstIndex)) : s.length;
        spans.add(new ReadSpan(s.file, i, (int) (end - i), startOffset, endOffset));
        i = end;
      }
    } finally {
      lock.unlock();
    }
    return spans;
  }

  private List<LedgerEntry> read(ReadSpan span) {
    byte[] data;
    try {
      data = DurableFiles.readRange(span.file(), span.from(), span.to());
    } catch (IOException e) {
      throw new LedgerStorageException("cannot read entries from segment " + span.file() + ": " + e.getMessage(), e);
    }
    SegmentFile.Scan scan = SegmentFile.scan(data);
    String name = span.file().getFileName().toString();
    if (scan.count() < span.count() || scan.ending() != SegmentFile.Ending.CLEAN) {
      throw new IntegrityException(
          "entry " + (span.firstIndex() + scan.count()) + " in segment " + name + " of the ledger in " + dir
              + " fails its checksum: the file was damaged while the ledger was open; restore it from a backup");
    }
    List<LedgerEntry> out = new ArrayList<>(span.count());
    for (int k = 0; k < span.count(); k++) {
      LedgerEntry e = parseStored(scan.payload(k), span.firstIndex() + k, name);
      if (e.index() != span.firstIndex() + k) {
        throw new IntegrityException("segment " + name + " of the ledger in " + dir + " holds entry " + e.index() + " where entry "
            + (span.firstIndex() + k) + " belongs: the file was changed while the ledger was open");
      }
      out.add(e);
    }
    return out;
  }

  // ---------------------------------------------------------------- checkpoints and proofs

  @Override
  public SignedCheckpoint checkpoint() {
    synchronized (checkpointLock) {
      if (closed) throw new LedgerStorageException("the ledger in " + dir + " is closed; open it again to use it");
      long n = durable;
      if (lastCheckpoint != null && lastCheckpoint.treeSize() == n) return lastCheckpoint;
      SignedCheckpoint cp = SignedCheckpoint.sign(n, tree.root(n), Instant.now(), logKey);
      try {
        checkpointLog.appendLazily(cp);
      } catch (IOException e) {
        throw new LedgerStorageException("cannot persist a checkpoint to " + LedgerDirectory.checkpointsFile(dir) + ": " + e.getMessage(), e);
      }
      lastCheckpoint = cp;
      return cp;
    }
  }

  @Override
  public InclusionProof proveInclusion(long index, long treeSize) {
    long n = durable;
    if (treeSize < 1 || treeSize > n || index < 0 || index >= treeSize) {
      throw new MalformedInputException(
          "cannot prove entry " + index + " in a tree of " + treeSize + " entries: need 0 <= index < tree size <= " + n + " (the ledger's size)");
    }
    return new InclusionProof(index, treeSize, tree.inclusionPath(index, treeSize), suite);
  }

  @Override
  public ConsistencyProof proveConsistency(long oldSize, long newSize) {
    long n = durable;
    if (oldSize < 0 || oldSize > newSize || newSize > n) {
      throw new MalformedInputException(
          "cannot prove a tree of " + oldSize + " entries consistent with one of " + newSize + ": need 0 <= old size <= new size <= " + n + " (the ledger's size)");
    }
    return new ConsistencyProof(oldSize, newSize, tree.consistencyPath(oldSize, newSize), suite);
  }

  @Override
  public void export(Path file) {
    SignedCheckpoint cp = checkpoint();
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling(target.getFileName() + ".partial");
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(cp.toJson().encode());
        w.write('\n');
        for (long from = 0; from < cp.treeSize(); from += READ_CHUNK) {
          for (LedgerEntry e : entries(from, Math.min(cp.treeSize(), from + READ_CHUNK))) {
            w.write(e.toJson().encode());
            w.write('\n');
          }
        }
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot export the ledger to " + target + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- close

  @Override
  public void close() {
    lock.lock();
    try {
      if (closing) return;
      closing = true;
      workAvailable.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      if (failure == null) {
        checkpoint(); // so an offline reader of the directory sees every entry vouched for
        forceCheckpoints();
      }
    } finally {
      synchronized (checkpointLock) {
        closed = true;
      }
      closeQuietly(segmentChannel);
      try {
        fileLock.release();
      } catch (IOException ignored) {
        // Closing the channel below releases it anyway.
      }
      closeQuietly(lockChannel);
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void forceCheckpoints() {
    synchronized (checkpointLock) {
      try {
        checkpointLog.force();
      } catch (IOException e) {
        throw new LedgerStorageException("cannot force the checkpoints in " + LedgerDirectory.checkpointsFile(dir) + " to the disk: " + e.getMessage(), e);
      }
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException ignored) {
      // Nothing is left to flush: every record was fsync'd before it was acknowledged.
    }
  }

  @Override
  public String toString() {
    return "EmbeddedLedger[" + dir + ", " + durable + " entries]";
  }
}

package io.covenant.ledger.evm;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.EventType;
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
import io.covenant.ledger.verify.LedgerExport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The {@link Ledger} on an Ethereum-compatible chain (Hyperledger Besu QBFT or go-ethereum in production; anvil, go-ethereum and Hardhat in tests) through
 * the {@link AuditContract}, over HTTP JSON-RPC.
 *
 * <p>Entries are the embedded ledger's, bit for bit: the contract sequences each event, computes its leaf
 * SHA-256(0x00 || {"event":E,"index":i,"previous":"H"}) itself and emits it with the SignedEvent's canonical JSON
 * ({@code EventAppended}), so the chain alone reconstructs the ledger and {@code LedgerVerifier} checks an export of
 * it like any other. Reads come from {@code eth_getLogs} (paged by block range) and see only entries with the
 * endpoint's confirmation depth; each log is re-checked here (index, hash link, leaf, statement hash, actor, type)
 * and a mismatch fails naming the transaction.
 *
 * <p>Who may append. Each organisation signs its own transactions with its own secp256k1 key: this client appends an
 * event only for an actor whose {@link Credentials} it was given. The contract admits only member addresses, each
 * for one organisation, each organisation's ORG_REGISTERED once and first. The contract cannot check Ed25519, so the
 * SignedEvent's signature is checked here before sending, against the actor's registered key, exactly as
 * {@code EmbeddedLedger} does; a member that bypasses this client can write an entry that does not verify, which the
 * verifier then names, with the member's address on chain as evidence.
 *
 * <p>Checkpoints are signed by the operator's log key over the chain's leaves; the chain itself needs no checkpoint
 * file. All entries are cached in memory after the first read.
 */
public final class EvmLedger implements Ledger {
  private final AuditContract contract;
  private final JsonRpcNode node;
  private final SigningKey logKey;
  private final Map<OrgId, Credentials> senders;

  // Guarded by this:
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final MerkleTree tree = new MerkleTree();
  private final Map<OrgId, AuditEvent.OrgRegistered> orgs = new HashMap<>();
  private final Map<JobId, List<Integer>> jobs = new HashMap<>();
  private Digest lastLeaf = LedgerEntry.NO_PREVIOUS;
  private long nextBlock;
  private SignedCheckpoint lastCheckpoint;
  private boolean closed;

  private EvmLedger(AuditContract contract, SigningKey logKey, Map<OrgId, Credentials> senders) {
    this.contract = contract;
    this.node = contract.node();
    this.logKey = logKey;
    this.senders = Map.copyOf(senders);
    this.nextBlock = contract.deployedAt();
  }

  /**
   * Connects to the audit contract at {@code contract} through {@code endpoint}.
   *
   * @param logKey the operator's log key, which signs checkpoints
   * @param senders the transaction keys of the organisations this client appends for (usually just its own)
   * @throws LedgerStorageException if the node does not answer within the endpoint's timeout (the message names
   *     its URL) or holds no audit contract at that address
   */
  public static EvmLedger open(EvmEndpoint endpoint, EvmAddress contract, SigningKey logKey, Map<OrgId, Credentials> senders) {
    if (endpoint == null || contract == null || logKey == null || senders == null) {
      throw new MalformedInputException("an EVM ledger needs the node endpoint, the contract address, the log key and the organisations' transaction keys");
    }
    EvmLedger l = new EvmLedger(AuditContract.at(endpoint, contract), logKey, senders);
    try {
      l.sync();
    } catch (RuntimeException e) {
      l.contract.close();
      throw e;
    }
    return l;
  }

  // ---------------------------------------------------------------- append

  @Override
  public LedgerEntry append(SignedEvent event) {
    if (event == null) throw new MalformedInputException("append needs a signed event");
    AuditEvent ev = event.event();
    OrgId actor = event.actor();
    if (ev instanceof AuditEvent.OrgRegistered reg) {
      if (!reg.org().equals(actor)) throw rejected(event, "it registers " + reg.org() + " but is signed as " + actor + "; an organisation registers itself");
      if (!event.verifiedBy(reg.signingKey())) throw rejected(event, "it is not self-signed by the key it registers; sign the registration with that key");
      Optional<AuditEvent.OrgRegistered> existing = organisation(actor);
      if (existing.isPresent()) throw rejected(event, actor + " is already registered; an organisation registers once");
    } else {
      AuditEvent.OrgRegistered r = organisation(actor)
          .orElseThrow(() -> rejected(event, actor + " has not registered; record its ORG_REGISTERED first"));
      if (!event.verifiedBy(r.signingKey())) {
        throw rejected(event, "its signature does not verify against " + actor + "'s registered key: it was altered after signing or signed with another key");
      }
    }
    Credentials sender = senders.get(actor);
    if (sender == null) {
      throw rejected(event, "this client holds no transaction key for " + actor + ": every organisation signs its own transactions, so append it from "
          + actor + "'s node or open the ledger with its key");
    }
    byte[] payload = event.toJson().canonicalBytes();
    String data = FunctionEncoder.encode(new Function("append", List.of(
        new Bytes32(statementHash(event).bytes()), new Bytes32(AuditContract.organisationHash(actor)),
        new Bytes32(typeWord(ev.type())), new DynamicBytes(payload)), List.of()));
    TransactionReceipt receipt;
    try {
      receipt = contract.transact(sender, data, actor + "'s " + ev.type(), AuditContract.appendGasLimit(data, payload.length));
    } catch (IllegalStateException e) {
      throw new LedgerStorageException("the EVM ledger at " + node.url() + " is closed; open it again to use it", e);
    }
    for (Log log : receipt.getLogs()) {
      if (!contract.address().hex().equalsIgnoreCase(log.getAddress()) || log.getTopics().isEmpty()
          || !AuditContract.EVENT_APPENDED.equals(log.getTopics().get(0))) {
        continue;
      }
      Appended a = Appended.decode(log);
      LedgerEntry entry = new LedgerEntry(a.index, event, a.previous);
      if (!entry.leafHash().equals(a.leafHash)) {
        throw new IntegrityException("the audit contract at " + contract.address() + " recorded leaf " + a.leafHash.shortForm() + "… for entry " + a.index
            + " (transaction " + receipt.getTransactionHash() + ") but the entry's leaf is " + entry.leafHash().shortForm()
            + "…: the contract is not the Covenant audit contract this client was built with");
      }
      return entry;
    }
    throw new IntegrityException("transaction " + receipt.getTransactionHash() + " to " + contract.address() + " succeeded without an EventAppended log: "
        + "the address does not hold the Covenant audit contract");
  }

  private static LedgerRejectedException rejected(SignedEvent e, String why) {
    return new LedgerRejectedException(e.actor() + "'s " + e.event().type() + " was rejected: " + why);
  }

  static byte[] typeWord(EventType type) {
    byte[] word = new byte[32];
    byte[] name = type.name().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, word, 0, name.length);
    return word;
  }

  /** One decoded EventAppended log. */
  @SuppressWarnings("rawtypes") // web3j's ABI decoder hands back List<Type> with a raw Type
  private record Appended(long index, Digest leafHash, Digest previous, String sender, byte[] actor, byte[] statementHash, byte[] eventType, byte[] payload) {
    static Appended decode(Log log) {
      List<Type> v = AuditContract.decode(log.getData(), List.of(
          new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {},
          new TypeReference<DynamicBytes>() {}));
      if (v.size() != 5 || log.getTopics().size() != 4) {
        throw new IntegrityException("log " + log.getLogIndex() + " of transaction " + log.getTransactionHash() + " is not an EventAppended the audit contract writes");
      }
      return new Appended(
          Numeric.toBigInt(log.getTopics().get(1)).longValueExact(), Digest.of((byte[]) v.get(0).getValue()), Digest.of((byte[]) v.get(1).getValue()),
          "0x" + log.getTopics().get(2).substring(26), Numeric.hexStringToByteArray(log.getTopics().get(3)), (byte[]) v.get(2).getValue(),
          (byte[]) v.get(3).getValue(), (byte[]) v.get(4).getValue());
    }
  }

  // ---------------------------------------------------------------- reading the chain

  /** Reads every EventAppended log with enough confirmations that is not yet cached, checking each. */
  private synchronized void sync() {
    if (closed) throw new LedgerStorageException("the EVM ledger at " + node.url() + " is closed; open it again to use it");
    long head = node.blockNumber() - node.endpoint().confirmations();
    if (head < nextBlock) return;
    for (Log log : node.logs(contract.address(), AuditContract.EVENT_APPENDED, nextBlock, head)) {
      if (log.isRemoved()) continue;
      ingest(log);
    }
    nextBlock = head + 1;
  }

  private void ingest(Log log) {
    Appended a = Appended.decode(log);
    long index = entries.size();
    String where = "entry " + a.index + " (transaction " + log.getTransactionHash() + ", block " + log.getBlockNumber() + ", sent by " + a.sender
        + ") of the audit contract " + contract.address() + " on " + node.url();
    if (a.index != index) throw new IntegrityException(where + " arrived where entry " + index + " belongs: the node returned logs out of order or lost some");
    if (!a.previous.equals(lastLeaf)) throw new IntegrityException(where + " does not link to entry " + (index - 1) + ": the node's logs were altered");
    SignedEvent event;
    try {
      event = SignedEvent.fromJson(Json.parseObject(a.payload));
    } catch (MalformedInputException e) {
      throw new IntegrityException(where + " does not hold a signed Covenant event (" + e.getMessage() + "): that member wrote it without this client");
    }
    LedgerEntry entry = new LedgerEntry(index, event, a.previous);
    if (!Arrays.equals(event.toJson().canonicalBytes(), a.payload)) {
      throw new IntegrityException(where + " holds an event that is not in canonical form: that member wrote it without this client");
    }
    if (!entry.leafHash().equals(a.leafHash)) throw new IntegrityException(where + " has leaf hash " + a.leafHash.shortForm() + "… that its event does not produce");
    if (!Arrays.equals(statementHash(event).bytes(), a.statementHash)
        || !Arrays.equals(AuditContract.organisationHash(event.actor()), a.actor)
        || !Arrays.equals(typeWord(event.event().type()), a.eventType)) {
      throw new IntegrityException(where + " indexes its event under a statement hash, actor or type that the event does not have");
    }
    entries.add(entry);
    tree.append(a.leafHash);
    lastLeaf = a.leafHash;
    if (event.event() instanceof AuditEvent.OrgRegistered reg) orgs.putIfAbsent(reg.org(), reg);
    event.event().job().ifPresent(j -> jobs.computeIfAbsent(j, x -> new ArrayList<>()).add((int) index));
  }

  @Override
  public synchronized long size() {
    sync();
    return entries.size();
  }

  @Override
  public synchronized List<LedgerEntry> entries(long fromInclusive, long toExclusive) {
    sync();
    long n = entries.size();
    if (fromInclusive < 0 || fromInclusive > toExclusive || toExclusive > n) {
      throw new MalformedInputException("entries [" + fromInclusive + ", " + toExclusive + ") are not in the ledger: it holds entries [0, " + n + ")");
    }
    return List.copyOf(entries.subList((int) fromInclusive, (int) toExclusive));
  }

  @Override
  public synchronized List<LedgerEntry> entriesForJob(JobId job) {
    sync();
    return jobs.getOrDefault(job, List.of()).stream().map(entries::get).toList();
  }

  @Override
  public synchronized Optional<AuditEvent.OrgRegistered> organisation(OrgId org) {
    sync();
    return Optional.ofNullable(orgs.get(org));
  }

  // ---------------------------------------------------------------- checkpoints and proofs

  @Override
  public synchronized SignedCheckpoint checkpoint() {
    sync();
    long n = entries.size();
    if (lastCheckpoint == null || lastCheckpoint.treeSize() != n) lastCheckpoint = SignedCheckpoint.sign(n, tree.root(n), Instant.now(), logKey);
    return lastCheckpoint;
  }

  @Override
  public synchronized InclusionProof proveInclusion(long index, long treeSize) {
    sync();
    long n = entries.size();
    if (treeSize < 1 || treeSize > n || index < 0 || index >= treeSize) {
      throw new MalformedInputException(
          "cannot prove entry " + index + " in a tree of " + treeSize + " entries: need 0 <= index < tree size <= " + n + " (the ledger's size)");
    }
    return new InclusionProof(index, treeSize, tree.inclusionPath(index, treeSize));
  }

  @Override
  public synchronized ConsistencyProof proveConsistency(long oldSize, long newSize) {
    sync();
    long n = entries.size();
    if (oldSize < 0 || oldSize > newSize || newSize > n) {
      throw new MalformedInputException(
          "cannot prove a tree of " + oldSize + " entries consistent with one of " + newSize + ": need 0 <= old size <= new size <= " + n + " (the ledger's size)");
    }
    return new ConsistencyProof(oldSize, newSize, tree.consistencyPath(oldSize, newSize));
  }

  @Override
  public synchronized void export(Path file) {
    SignedCheckpoint cp = checkpoint();
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling(target.getFileName() + ".partial");
    new LedgerExport(entries.subList(0, (int) cp.treeSize()), cp).write(tmp);
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot export the ledger to " + target + ": " + e.getMessage(), e);
    }
  }

  /** The contract this ledger reads and writes. */
  public EvmAddress contractAddress() {
    return contract.address();
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    contract.close();
  }

  @Override
  public String toString() {
    return "EvmLedger[" + node.url() + ", contract " + contract.address() + ", " + entries.size() + " entries read]";
  }


  /**
   * The statement hash the audit contract records beside each event: SHA-256, the international suite's hash, because
   * the EVM backend anchors 32-byte Ed25519 log keys only (a national-suite consortium keeps the embedded ledger; see
   * docs/crypto-suite.md).
   */
  private static Digest statementHash(SignedEvent event) {
    return CryptoSuite.INTL.hash(event.statement().canonicalBytes());
  }
}

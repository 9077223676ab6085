package io.covenant.ledger.evm;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.verify.ChainAnchor;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The {@code CovenantAudit} contract ({@code src/main/solidity/CovenantAudit.sol}) on one EVM node: deploying it,
 * admitting members, anchoring checkpoints, and reading its logs. The ABI and creation bytecode are the committed
 * output of {@code src/main/solidity/compile.sh} (solc 0.8.28, evmVersion shanghai), so building this module needs no
 * Solidity compiler.
 *
 * <p>Membership is the contract's to enforce: only an address the admin added may append or anchor, only as the
 * organisation it was added for, and each organisation registers once and before anything else.
 */
@SuppressWarnings("rawtypes") // web3j's ABI decoder hands back List<Type> with a raw Type
public final class AuditContract implements AutoCloseable {
  static final String EVENT_APPENDED = Hash.sha3String("EventAppended(uint64,bytes32,bytes32,address,bytes32,bytes32,bytes32,bytes)");
  static final String CHECKPOINT_ANCHORED = Hash.sha3String("CheckpointAnchored(uint64,bytes32,address,uint64,bytes32,bytes)");

  private static final Map<String, String> ERRORS = errorSelectors(
      "NotAdmin(address)", "NotAMember(address)", "AlreadyAMember(address)", "WrongActor(address,bytes32,bytes32)",
      "AlreadyRegistered(bytes32)", "NotRegistered(bytes32)", "AnchorShrinks(uint64,uint64)");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]{8,}");

  private final JsonRpcNode node;
  private final EvmAddress address;
  private final long deployedAt;
  private static final BigInteger HUNDRED = BigInteger.valueOf(100);
  /** Scales the callers' gas limits once the node has shown it charges more than they assume; 100 until then. */
  private volatile long gasPercent = 100;

  private AuditContract(JsonRpcNode node, EvmAddress address) {
    this.node = node;
    this.address = address;
    try {
      String code = node.send("eth_getCode", node.web3j().ethGetCode(address.hex(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST)).getCode();
      if (code == null || code.equals("0x") || code.isEmpty()) {
        throw new LedgerStorageException("there is no contract at " + address + " on the EVM node at " + node.url()
            + ": deploy the audit contract (AuditContract.deploy) or fix the contract address");
      }
      List<Type> out = decode(node.call(address, FunctionEncoder.encode(new Function("deployedAt", List.of(), List.of(new TypeReference<Uint64>() {})))),
          List.of(new TypeReference<Uint64>() {}));
      if (out.isEmpty()) {
        throw new LedgerStorageException("the contract at " + address + " on the EVM node at " + node.url() + " is not a Covenant audit contract (no deployedAt())");
      }
      this.deployedAt = ((BigInteger) out.get(0).getValue()).longValueExact();
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** Connects to the audit contract at {@code address}; fails if the node does not answer or holds no such contract. */
  public static AuditContract at(EvmEndpoint endpoint, EvmAddress address) {
    return new AuditContract(JsonRpcNode.connect(endpoint), address);
  }

  /** Deploys a new audit contract whose admin is {@code admin}; returns its address once the deployment is confirmed. */
  public static EvmAddress deploy(EvmEndpoint endpoint, Credentials admin) {
    try (JsonRpcNode node = JsonRpcNode.connect(endpoint)) {
      String bytecode = "0x" + resource("CovenantAudit.bin").trim();
      BigInteger gas;
      try {
        gas = node.estimateGas(EvmAddress.of(admin), null, bytecode);
      } catch (JsonRpcNode.Reverted e) {
        throw new LedgerStorageException("the EVM node at " + node.url() + " refuses to deploy the audit contract (" + e.getMessage()
            + "): does it support the shanghai EVM (PUSH0)?");
      }
      String tx;
      try {
        tx = node.sendTransaction(admin, null, bytecode, gas.multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN));
      } catch (JsonRpcNode.Reverted e) {
        throw new LedgerStorageException("the EVM node at " + node.url() + " refused the audit contract's deployment (" + e.getMessage() + ")");
      }
      TransactionReceipt r = node.awaitReceipt(tx, "deploying the audit contract");
      if (!r.isStatusOK() || r.getContractAddress() == null) {
        throw new LedgerStorageException("deploying the audit contract on the EVM node at " + node.url() + " failed in transaction " + tx + " (status " + r.getStatus() + ")");
      }
      return new EvmAddress(r.getContractAddress());
    }
  }

  public EvmAddress address() {
    return address;
  }

  /** The block the contract was deployed in: reading its logs starts there. */
  public long deployedAt() {
    return deployedAt;
  }

  JsonRpcNode node() {
    return node;
  }

  /** keccak256 of the organisation id's UTF-8 bytes: how the contract names an organisation. */
  public static byte[] organisationHash(OrgId org) {
    return Hash.sha3(org.value().getBytes(StandardCharsets.UTF_8));
  }

  /** The admin admits {@code member} as the transaction address of {@code org}. */
  public void addMember(Credentials admin, OrgId org, EvmAddress member) {
    String data = FunctionEncoder.encode(new Function("addMember", List.of(new Address(member.hex()), new Bytes32(organisationHash(org))), List.of()));
    transact(admin, data, "adding " + member + " as a member for " + org);
  }

  /** Anchors a signed tree head on chain from a member's address; returns the anchor as the chain now holds it. */
  public ChainAnchor anchor(Credentials sender, SignedCheckpoint cp) {
    String data = FunctionEncoder.encode(new Function("anchor", List.of(
        new Uint64(cp.treeSize()), new Bytes32(cp.rootHash().bytes()), new Uint64(cp.at().toEpochMilli()), new Bytes32(cp.logKey().bytes()),
        new DynamicBytes(cp.signature().bytes())), List.of()));
    TransactionReceipt r = transact(sender, data, "anchoring the checkpoint of " + cp.treeSize() + " entries");
    return new ChainAnchor(cp, r.getBlockNumber().longValueExact(), r.getTransactionHash());
  }

  /** Every checkpoint anchored on this contract with the confirmations the endpoint asks for, in chain order. */
  public List<ChainAnchor> anchors() {
    long head = node.blockNumber() - node.endpoint().confirmations();
    List<ChainAnchor> out = new ArrayList<>();
    if (head < deployedAt) return out;
    for (Log log : node.logs(address, CHECKPOINT_ANCHORED, deployedAt, head)) {
      List<Type> v = decode(log.getData(), List.of(
          new TypeReference<Bytes32>() {}, new TypeReference<Uint64>() {}, new TypeReference<Bytes32>() {}, new TypeReference<DynamicBytes>() {}));
      try {
        long treeSize = Numeric.toBigInt(log.getTopics().get(1)).longValueExact();
        SignedCheckpoint cp = new SignedCheckpoint(
            treeSize, Digest.of((byte[]) v.get(0).getValue()), Instant.ofEpochMilli(((BigInteger) v.get(1).getValue()).longValueExact()),
            VerifyingKey.of((byte[]) v.get(2).getValue()), Signature.of((byte[]) v.get(3).getValue()));
        out.add(new ChainAnchor(cp, log.getBlockNumber().longValueExact(), log.getTransactionHash()));
      } catch (MalformedInputException | ArithmeticException e) {
        throw new IntegrityException("the anchor in transaction " + log.getTransactionHash() + " (block " + log.getBlockNumber() + ") of the audit contract "
            + address + " does not decode (" + e.getMessage() + "): it was not written by a Covenant ledger");
      }
    }
    return out;
  }

  /** Sends a transaction to the contract and waits for its confirmations; a revert becomes a {@link LedgerRejectedException}. */
  TransactionReceipt transact(Credentials sender, String data, String what) {
    BigInteger gas;
    try {
      gas = node.estimateGas(EvmAddress.of(sender), address, data);
    } catch (JsonRpcNode.Reverted e) {
      throw new LedgerRejectedException(what + " was refused by the audit contract at " + address + ": " + explain(e));
    }
    // Storage refunds and the growing index make the real cost drift a little from the estimate.
    String tx;
    try {
      tx = node.sendTransaction(sender, address, data, gas.multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.valueOf(20_000)));
    } catch (JsonRpcNode.Reverted e) {
      throw new LedgerRejectedException(what + " was refused by the audit contract at " + address + ": " + explain(e));
    }
    TransactionReceipt r = node.awaitReceipt(tx, what);
    if (!r.isStatusOK()) {
      throw new LedgerRejectedException(what + " was reverted by the audit contract at " + address + " in transaction " + tx
          + " (block " + r.getBlockNumber() + "); another transaction changed the contract's state first, or the gas ran out");
    }
    return r;
  }

  /**
   * Sends a transaction with a gas limit the caller computed, without eth_estimateGas, and waits for its
   * confirmations. A revert is a {@link LedgerRejectedException} naming the contract's error however the node tells
   * of it: in its answer to eth_sendRawTransaction (Hardhat), or as a failed receipt (anvil, go-ethereum), which is
   * explained by replaying the call at the latest block (eth_call); the refused transaction is mined and pays its
   * gas, which estimating first would have avoided, but estimating every append stalls a node under concurrent
   * appenders (docs/ledger.md).
   *
   * <p>The caller's limit assumes the gas schedule of the forks up to Osaka. A node that charges more (go-ethereum's
   * {@code --dev} chain charges about four times as much for an append) runs the transaction out of gas: then the
   * call is estimated once with eth_estimateGas, sent again with that limit, and every later limit on this contract
   * is scaled by the same factor, so only the first append pays for the lesson.
   */
  TransactionReceipt transact(Credentials sender, String data, String what, BigInteger gasLimit) {
    BigInteger limit = gasLimit.multiply(BigInteger.valueOf(gasPercent)).divide(HUNDRED);
    String tx = sendOrRefuse(sender, data, what, limit);
    TransactionReceipt r = node.awaitReceipt(tx, what);
    if (r.isStatusOK()) return r;
    try {
      node.probe(EvmAddress.of(sender), address, data);
    } catch (JsonRpcNode.Reverted e) {
      throw new LedgerRejectedException(what + " was refused by the audit contract at " + address + " in transaction " + tx + ": " + explain(e));
    }
    if (r.getGasUsed() != null && r.getGasUsed().compareTo(limit) >= 0) {
      BigInteger needed;
      try {
        needed = node.estimateGas(EvmAddress.of(sender), address, data);
      } catch (JsonRpcNode.Reverted e) {
        throw new LedgerRejectedException(what + " was refused by the audit contract at " + address + ": " + explain(e));
      }
      BigInteger retry = needed.multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.valueOf(20_000));
      long percent = retry.multiply(HUNDRED).divide(gasLimit).longValueExact() + 1;
      synchronized (this) {
        gasPercent = Math.max(gasPercent, percent);
      }
      String again = sendOrRefuse(sender, data, what, retry);
      TransactionReceipt second = node.awaitReceipt(again, what);
      if (second.isStatusOK()) return second;
      r = second;
      tx = again;
      limit = retry;
    }
    throw new LedgerRejectedException(what + " was reverted by the audit contract at " + address + " in transaction " + tx + " (block " + r.getBlockNumber()
        + ", gas used " + r.getGasUsed() + " of " + limit + "); another transaction changed the contract's state first, or the gas ran out");
  }

  private String sendOrRefuse(Credentials sender, String data, String what, BigInteger gasLimit) {
    try {
      return node.sendTransaction(sender, address, data, gasLimit);
    } catch (JsonRpcNode.Reverted e) {
      // Refused at send time (Hardhat): the node ran the transaction and gave the revert data with its answer.
      throw new LedgerRejectedException(what + " was refused by the audit contract at " + address + ": " + explain(e));
    }
  }

  /**
   * An upper bound on the gas of {@code append} with {@code calldata} (hex, 0x-prefixed) carrying a payload of
   * {@code payloadBytes}: the intrinsic and calldata cost (EIP-2028), at most eight fresh storage slots (EIP-2929 cold
   * access plus zero-to-nonzero writes), the SHA-256 precompile and the log over the payload, and memory for three
   * copies of it. The contract's work is otherwise fixed (two loops of at most 64 steps), so this bounds it from
   * above; the unused part of the limit is not charged.
   */
  static BigInteger appendGasLimit(String calldata, int payloadBytes) {
    long gas = 21_000;
    for (int i = 2; i + 1 < calldata.length(); i += 2) {
      gas += calldata.charAt(i) == '0' && calldata.charAt(i + 1) == '0' ? 4 : 16;
    }
    long words = (payloadBytes + 31) / 32 + 8;
    gas += 8 * (2_100 + 22_100);                 // cold reads and fresh writes: entry slots, length, leaf, registered
    gas += 60 + 12 * (words + 4);                // SHA-256 precompile over the leaf preimage
    gas += 375 + 4 * 375 + 8 * 32L * (words + 6); // LOG4 over the payload and six words
    long memoryWords = 3 * words + 64;
    gas += 3 * memoryWords + memoryWords * memoryWords / 512 + 3 * 3 * words; // memory and copies
    gas += 60_000;                               // ABI decoding, the decimal and hex loops, calls and jumps
    return BigInteger.valueOf(gas + gas / 4);
  }

  private static String explain(JsonRpcNode.Reverted e) {
    String data = e.data == null ? "" : e.data;
    Matcher m = HEX.matcher(data + " " + e.getMessage());
    while (m.find()) {
      String hex = m.group().toLowerCase();
      String name = ERRORS.get(hex.substring(0, 10));
      if (name != null) {
        String args = hex.length() > 10 ? " " + hex.substring(10) : "";
        return switch (name.substring(0, name.indexOf('('))) {
          case "NotAMember" -> "the sender is not a member (" + name + "): the contract's admin must add its address with addMember first";
          case "WrongActor" -> "the sender is a member for another organisation (" + name + "): each organisation appends only its own events";
          case "AlreadyRegistered" -> "the organisation is already registered (" + name + "): an organisation registers once";
          case "NotRegistered" -> "the organisation has not registered (" + name + "): append its ORG_REGISTERED first";
          case "NotAdmin" -> "only the contract's admin may do this (" + name + ")";
          case "AnchorShrinks" -> "a larger checkpoint is already anchored (" + name + args + "): anchors only grow";
          default -> name + args;
        };
      }
    }
    return e.getMessage() + (data.isEmpty() ? "" : " " + data);
  }

  static List<Type> decode(String data, List<TypeReference<?>> types) {
    return FunctionReturnDecoder.decode(data, Utils.convert(types));
  }

  private static Map<String, String> errorSelectors(String... signatures) {
    java.util.HashMap<String, String> m = new java.util.HashMap<>();
    for (String s : signatures) m.put(Hash.sha3String(s).substring(0, 10), s);
    return Map.copyOf(m);
  }

  static String resource(String name) {
    try (InputStream in = AuditContract.class.getResourceAsStream(name)) {
      if (in == null) throw new LedgerStorageException("the audit contract's " + name + " is missing from the ledger-bridge jar: rebuild it");
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot read the audit contract's " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    node.close();
  }
}

package io.covenant.ledger.evm;

import io.covenant.ledger.LedgerStorageException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * One EVM node over HTTP JSON-RPC: every call has a deadline, transient connection failures are retried until it,
 * and every failure names the node's URL and the method. Signs transactions locally (EIP-155, legacy gas price, which
 * anvil, go-ethereum, Hardhat and Besu QBFT all accept) and keeps each sender's nonce, so one account can have many
 * transactions in flight.
 */
final class JsonRpcNode implements AutoCloseable {

  /** The node executed the call and the contract reverted; {@code data} is the raw revert data, if the node gave it. */
  static final class Reverted extends Exception {
    private static final long serialVersionUID = 1L;
    final String data;

    Reverted(String message, String data) {
      super(message);
      this.data = data;
    }
  }

  private final EvmEndpoint endpoint;
  private final OkHttpClient http;
  private final HttpService service;
  private final Web3j web3j;
  private final long chainId;
  private final BigInteger gasPrice;
  private final Map<String, Object> senderLocks = new ConcurrentHashMap<>();
  private final Map<String, BigInteger> nonces = new ConcurrentHashMap<>();

  private JsonRpcNode(EvmEndpoint endpoint) {
    this.endpoint = endpoint;
    long ms = endpoint.timeout().toMillis();
    this.http = new OkHttpClient.Builder()
        .connectTimeout(ms, TimeUnit.MILLISECONDS)
        .readTimeout(ms, TimeUnit.MILLISECONDS)
        .writeTimeout(ms, TimeUnit.MILLISECONDS)
        .callTimeout(ms, TimeUnit.MILLISECONDS)
        .build();
    this.service = new HttpService(endpoint.rpcUrl().toString(), http);
    this.web3j = Web3j.build(service);
    try {
      blockNumber(); // fails with the clear "is it running?" message before anything else is tried
      this.chainId = send("eth_chainId", web3j.ethChainId()).getChainId().longValueExact();
      this.gasPrice = send("eth_gasPrice", web3j.ethGasPrice()).getGasPrice();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static JsonRpcNode connect(EvmEndpoint endpoint) {
    return new JsonRpcNode(endpoint);
  }

  EvmEndpoint endpoint() {
    return endpoint;
  }

  String url() {
    return endpoint.rpcUrl().toString();
  }

  /** Sends {@code request}, retrying connection failures until the endpoint's timeout. */
  org.web3j.protocol.Web3j web3j() {
    return web3j;
  }

  <R extends Response<?>> R send(String method, Request<?, R> request) {
    return send(method, request, false);
  }

  private <R extends Response<?>> R send(String method, Request<?, R> request, boolean errorsToCaller) {
    long deadline = System.nanoTime() + endpoint.timeout().toNanos();
    IOException last;
    while (true) {
      try {
        R r = request.send();
        if (r.hasError() && !errorsToCaller) {
          throw new LedgerStorageException("EVM node at " + url() + " answered " + method + " with error " + r.getError().getCode() + ": "
              + r.getError().getMessage());
        }
        return r;
      } catch (IOException e) {
        last = e;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new LedgerStorageException("EVM node at " + url() + " did not answer " + method + " within " + seconds(endpoint.timeout())
            + ": is it running? (last error: " + last + ")", last);
      }
      sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, Math.max(100, endpoint.pollInterval().toMillis())));
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  long blockNumber() {
    return send("eth_blockNumber", web3j.ethBlockNumber()).getBlockNumber().longValueExact();
  }

  /** eth_call at the latest block; returns the raw return data. */
  String call(EvmAddress to, String data) {
    return send("eth_call", web3j.ethCall(Transaction.createEthCallTransaction(null, to.hex(), data), DefaultBlockParameterName.LATEST)).getValue();
  }

  /** eth_estimateGas for a call from {@code from}; a revert comes back as {@link Reverted} with its data. */
  BigInteger estimateGas(EvmAddress from, EvmAddress to, String data) throws Reverted {
    Transaction tx = to == null
        ? Transaction.createContractTransaction(from.hex(), null, gasPrice, data)
        : Transaction.createEthCallTransaction(from.hex(), to.hex(), data);
    long deadline = System.nanoTime() + endpoint.timeout().toNanos();
    while (true) {
      try {
        var r = web3j.ethEstimateGas(tx).send();
        if (r.hasError()) {
          String message = r.getError().getMessage() == null ? "" : r.getError().getMessage();
          if (message.toLowerCase().contains("revert")) throw new Reverted(message, r.getError().getData());
          throw new LedgerStorageException("EVM node at " + url() + " answered eth_estimateGas with error " + r.getError().getCode() + ": " + message);
        }
        return r.getAmountUsed();
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new LedgerStorageException("EVM node at " + url() + " did not answer eth_estimateGas within " + seconds(endpoint.timeout())
              + ": is it running? (last error: " + e + ")", e);
        }
        sleep(Math.max(100, endpoint.pollInterval().toMillis()));
      }
    }
  }

  /**
   * eth_call from {@code from} at the latest block, only to learn whether and why it reverts: a revert comes back as
   * {@link Reverted} with its data; any other answer returns normally.
   */
  void probe(EvmAddress from, EvmAddress to, String data) throws Reverted {
    var r = send("eth_call", web3j.ethCall(Transaction.createEthCallTransaction(from.hex(), to.hex(), data), DefaultBlockParameterName.LATEST), true);
    if (r.hasError()) {
      String message = r.getError().getMessage() == null ? "" : r.getError().getMessage();
      if (message.toLowerCase().contains("revert")) throw new Reverted(message, r.getError().getData());
      throw new LedgerStorageException("EVM node at " + url() + " answered eth_call with error " + r.getError().getCode() + ": " + message);
    }
    if (r.isReverted()) throw new Reverted("execution reverted", r.getValue());
  }

  /**
   * Signs and sends a transaction from {@code from}; returns its hash. {@code to == null} creates a contract. Nonces
   * are handed out locally under the sender's lock, so concurrent sends from one account stay in order.
   *
   * <p>Nodes differ in when they tell of a revert: anvil and go-ethereum accept the transaction and mine a failed receipt,
   * while a Hardhat node (and any node that executes a transaction on arrival) answers eth_sendRawTransaction itself
   * with the revert and its data. That answer comes back here as {@link Reverted}, so callers explain both the same way.
   */
  String sendTransaction(Credentials from, EvmAddress to, String data, BigInteger gasLimit) throws Reverted {
    String address = from.getAddress();
    synchronized (senderLocks.computeIfAbsent(address, a -> new Object())) {
      BigInteger nonce = nonces.computeIfAbsent(address, a ->
          send("eth_getTransactionCount", web3j.ethGetTransactionCount(a, DefaultBlockParameterName.PENDING)).getTransactionCount());
      RawTransaction raw = to == null
          ? RawTransaction.createContractTransaction(nonce, gasPrice, gasLimit, BigInteger.ZERO, data)
          : RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to.hex(), BigInteger.ZERO, data);
      String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, chainId, from));
      try {
        var r = send("eth_sendRawTransaction", web3j.ethSendRawTransaction(signed), true);
        if (r.hasError()) {
          String message = r.getError().getMessage() == null ? "" : r.getError().getMessage();
          // A node that refuses at send time may still have mined the transaction (Hardhat does): ask it for the nonce.
          nonces.remove(address);
          if (message.toLowerCase().contains("revert")) throw new Reverted(message, r.getError().getData());
          throw new LedgerStorageException("EVM node at " + url() + " answered eth_sendRawTransaction with error " + r.getError().getCode() + ": " + message);
        }
        nonces.put(address, nonce.add(BigInteger.ONE));
        return r.getTransactionHash();
      } catch (RuntimeException e) {
        nonces.remove(address); // the node's view of the nonce wins on the next send
        throw e;
      }
    }
  }

  /** Waits until the transaction is mined and {@code confirmations} blocks follow it; returns its receipt. */
  TransactionReceipt awaitReceipt(String txHash, String what) {
    long deadline = System.nanoTime() + endpoint.transactionTimeout().toNanos();
    TransactionReceipt receipt;
    while (true) {
      Optional<TransactionReceipt> r = send("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(txHash)).getTransactionReceipt();
      if (r.isPresent()) {
        receipt = r.get();
        break;
      }
      checkDeadline(deadline, what + ": transaction " + txHash + " was not mined");
      sleep(endpoint.pollInterval().toMillis());
    }
    long wanted = receipt.getBlockNumber().longValueExact() + endpoint.confirmations();
    while (blockNumber() < wanted) {
      checkDeadline(deadline, what + ": transaction " + txHash + " did not reach " + endpoint.confirmations() + " confirmations");
      sleep(endpoint.pollInterval().toMillis());
    }
    if (endpoint.confirmations() > 0) {
      // A reorganisation while we waited would have moved or dropped the transaction: take the receipt that stands now.
      TransactionReceipt now = send("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(txHash)).getTransactionReceipt()
          .orElseThrow(() -> new LedgerStorageException("EVM node at " + url() + ": transaction " + txHash + " (" + what
              + ") disappeared from the chain while waiting for confirmations (a reorganisation); send it again"));
      if (!now.getBlockHash().equals(receipt.getBlockHash())) return awaitReceipt(txHash, what);
      receipt = now;
    }
    return receipt;
  }

  private void checkDeadline(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new LedgerStorageException("EVM node at " + url() + ": " + what + " within " + seconds(endpoint.transactionTimeout())
          + "; is the chain producing blocks?");
    }
  }

  /** Logs of {@code contract} with first topic {@code topic0} in blocks [from, to], fetched in pages of the endpoint's size. */
  List<Log> logs(EvmAddress contract, String topic0, long from, long to) {
    List<Log> out = new ArrayList<>();
    for (long start = from; start <= to; start += endpoint.logPageBlocks()) {
      long end = Math.min(to, start + endpoint.logPageBlocks() - 1);
      EthFilter filter = new EthFilter(
          DefaultBlockParameter.valueOf(BigInteger.valueOf(start)), DefaultBlockParameter.valueOf(BigInteger.valueOf(end)), contract.hex());
      filter.addSingleTopic(topic0);
      for (EthLog.LogResult<?> lr : getLogs(filter).getLogs()) {
        if (lr instanceof EthLog.LogObject lo) out.add(lo.get());
        else out.add((Log) lr.get());
      }
    }
    return out;
  }

  /**
   * eth_getLogs, with an error answer retried until the endpoint's timeout: go-ethereum can announce a block before
   * its log index holds it, and answers a query that reaches that block with an error ("failed to retrieve log value
   * pointer") until the index catches up a moment later.
   */
  private EthLog getLogs(EthFilter filter) {
    long deadline = System.nanoTime() + endpoint.timeout().toNanos();
    while (true) {
      EthLog r = send("eth_getLogs", web3j.ethGetLogs(filter), true);
      if (!r.hasError()) return r;
      if (System.nanoTime() > deadline) {
        throw new LedgerStorageException("EVM node at " + url() + " answered eth_getLogs with error " + r.getError().getCode() + ": "
            + r.getError().getMessage() + " (still after " + seconds(endpoint.timeout()) + " of retries)");
      }
      sleep(Math.max(50, endpoint.pollInterval().toMillis()));
    }
  }

  /** A raw JSON-RPC request with no typed result, e.g. anvil's and Hardhat's evm_mine. */
  void raw(String method, List<?> params) {
    send(method, new Request<>(method, params, service, Response.class));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(Math.max(1, ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerStorageException("interrupted while waiting for the EVM node", e);
    }
  }

  @Override
  public void close() {
    // Not web3j.shutdown(): that stops an executor web3j shares between clients. The HTTP client is ours alone.
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}

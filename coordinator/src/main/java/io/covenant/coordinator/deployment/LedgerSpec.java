package io.covenant.coordinator.deployment;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.anchor.AnchoredLedger;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.evm.AuditContract;
import io.covenant.ledger.evm.EvmAddress;
import io.covenant.ledger.evm.EvmEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * Which ledger a deployment keeps, as an operator writes it: {@code embedded} (the default: the data directory's
 * {@code ledger/}) or {@code anchored=URL,contract=0x…,key-file=FILE[,every=N]} (the same embedded log, with its
 * checkpoints anchored on the audit contract at {@code contract} on the EVM node at {@code URL}, sent from the
 * secp256k1 account whose private key, in hex, is in {@code FILE}; every N entries, default 100, and on close).
 * The key file is read, never echoed.
 */
public record LedgerSpec(String text) {
  public static final LedgerSpec EMBEDDED = new LedgerSpec("embedded");
  private static final String FORM = "use embedded, or anchored=http://127.0.0.1:8545,contract=0x<40 hex>,key-file=FILE[,every=N]";

  /** The parsed parts of an {@code anchored=} spec. */
  public record Anchoring(EvmEndpoint endpoint, EvmAddress contract, Path keyFile, long everyEntries) {}

  public LedgerSpec {
    if (text == null || text.isBlank()) throw new MalformedInputException("a ledger spec is empty; " + FORM);
    if (!text.equals("embedded")) anchoring(text);
  }

  public boolean anchored() {
    return !text.equals("embedded");
  }

  /** Opens the ledger in {@code ledgerDir}, signing checkpoints with {@code logKey}. */
  public Ledger open(Path ledgerDir, SigningKey logKey) {
    if (!anchored()) return EmbeddedLedger.open(ledgerDir, logKey);
    Anchoring a = anchoring(text);
    Credentials sender = credentials(a.keyFile());
    return AnchoredLedger.open(ledgerDir, logKey, AuditContract.at(a.endpoint(), a.contract()), sender, a.everyEntries(), Duration.ofSeconds(30));
  }

  /** The secp256k1 account in {@code keyFile} (hex private key, optionally 0x-prefixed). */
  public static Credentials credentials(Path keyFile) {
    String hex;
    try {
      hex = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new MalformedInputException("cannot read the EVM key file " + keyFile + " (" + e.getMessage() + "); it must hold the account's private key in hex");
    }
    if (hex.startsWith("0x")) hex = hex.substring(2);
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new MalformedInputException("the EVM key file " + keyFile + " does not hold a 32-byte private key in hex (64 hex digits)");
    }
    return Credentials.create(hex);
  }

  public static Anchoring anchoring(String spec) {
    if (!spec.startsWith("anchored=")) throw new MalformedInputException("ledger '" + spec + "' is not known: " + FORM);
    String[] parts = spec.substring("anchored=".length()).split(",");
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq < 1) throw new MalformedInputException("ledger '" + spec + "': '" + parts[i] + "' is not name=value; " + FORM);
      String name = parts[i].substring(0, eq).trim();
      if (!Map.of("contract", 1, "key-file", 1, "every", 1).containsKey(name)) throw new MalformedInputException("ledger '" + spec + "': unknown setting '" + name + "'; " + FORM);
      opts.put(name, parts[i].substring(eq + 1).trim());
    }
    URI uri;
    try {
      uri = URI.create(parts[0].trim());
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("ledger '" + spec + "': '" + parts[0] + "' is not a URL; " + FORM);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) throw new MalformedInputException("ledger '" + spec + "': the EVM node URL must be http or https; " + FORM);
    if (!opts.containsKey("contract") || !opts.containsKey("key-file")) throw new MalformedInputException("ledger '" + spec + "': contract= and key-file= are required; " + FORM);
    long every = 100;
    if (opts.containsKey("every")) {
      try {
        every = Long.parseLong(opts.get("every"));
      } catch (NumberFormatException e) {
        every = 0;
      }
      if (every < 1) throw new MalformedInputException("ledger '" + spec + "': every must be a positive whole number of entries");
    }
    return new Anchoring(EvmEndpoint.of(uri.toString()), EvmAddress.parse(opts.get("contract")), Path.of(opts.get("key-file")), every);
  }

  @Override
  public String toString() {
    return text;
  }
}

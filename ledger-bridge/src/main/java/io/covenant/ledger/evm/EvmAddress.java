package io.covenant.ledger.evm;

import io.covenant.core.error.MalformedInputException;
import java.util.Locale;
import org.web3j.crypto.Credentials;

/** A 20-byte Ethereum account or contract address, held as lower-case {@code 0x}-prefixed hex. */
public record EvmAddress(String hex) {
  public EvmAddress {
    if (hex == null || !hex.toLowerCase(Locale.ROOT).matches("0x[0-9a-f]{40}")) {
      throw new MalformedInputException("'" + hex + "' is not an EVM address: it needs 0x and 40 hex digits");
    }
    hex = hex.toLowerCase(Locale.ROOT);
  }

  public static EvmAddress parse(String hex) {
    return new EvmAddress(hex);
  }

  /** The address that transactions signed with {@code credentials} come from. */
  public static EvmAddress of(Credentials credentials) {
    return new EvmAddress(credentials.getAddress());
  }

  @Override
  public String toString() {
    return hex;
  }
}

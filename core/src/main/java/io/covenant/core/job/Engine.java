package io.covenant.core.job;

import io.covenant.core.error.MalformedInputException;
import java.util.Locale;

/** Where a computation runs. */
public enum Engine {
  /** Inside an attested enclave or confidential VM; inputs are decrypted only there. */
  TEE,
  /** Across the owners' party nodes on secret shares. */
  MPC,
  /** Owners train locally; only masked updates leave them. */
  FL,
  /** Homomorphic encryption: owners compute on ciphertexts under the consumer's key; only the consumer decrypts. */
  HE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Engine parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new MalformedInputException("engine '" + text + "' is not known: use tee, mpc, fl or he");
    }
  }
}

package io.covenant.coordinator.vehicles;

import io.covenant.core.error.MalformedInputException;

/** Where an insurer's usage-based-insurance job runs: the TEE worker (the insurer's SQL) or the HE engine (its private pricing model). */
public enum UbiRoute {
  /** The enclave decrypts the covered vehicles' trips and computes the insurer's published scoring query ({@link UbiScoring}). */
  TEE,
  /** The maker's side evaluates the insurer's pricing model, encrypted under the insurer's CKKS key, on the covered vehicles' features ({@link UbiHeEngine}). */
  HE;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static UbiRoute parse(String text) {
    for (UbiRoute r : values()) if (r.wireName().equals(text)) return r;
    throw new MalformedInputException("route '" + text + "' is not known: use tee or he");
  }
}

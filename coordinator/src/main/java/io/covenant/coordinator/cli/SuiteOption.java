package io.covenant.coordinator.cli;

import io.covenant.core.crypto.CryptoSuite;
import picocli.CommandLine.Option;

/** The {@code --suite} option: which crypto suite a new consortium runs on (see docs/crypto-suite.md). */
final class SuiteOption {
  @Option(names = "--suite", paramLabel = "intl|sm",
      description = "The crypto suite: 'intl' (Ed25519, SHA-256, AES-256-GCM, X25519; the default) or 'sm' (the Chinese national standards "
          + "SM2, SM3 and SM4). It is fixed for good when the consortium's root is made.")
  String suite;

  /** The suite named (the international one when not given); an unknown name is refused before anything is created. */
  CryptoSuite suite() {
    return suite == null ? CryptoSuite.INTL : CryptoSuite.parse(suite);
  }

  /** Whether {@code --suite} was given on the command line. */
  boolean given() {
    return suite != null;
  }
}

package io.covenant.core.identity;

import io.covenant.core.error.CovenantException;

/** Mutual TLS was asked for under a crypto suite the JDK's TLS cannot carry (the national suite: SM2, RFC 8998). */
public final class UnsupportedTlsSuiteException extends CovenantException {
  public UnsupportedTlsSuiteException(String message) {
    super(message);
  }
}

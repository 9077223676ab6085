package io.covenant.core.error;

/**
 * Root of every error Covenant reports to a person. Messages name what was wrong and what to do next;
 * they never contain key material or data values.
 */
public class CovenantException extends RuntimeException {
  public CovenantException(String message) {
    super(message);
  }

  public CovenantException(String message, Throwable cause) {
    super(message, cause);
  }
}

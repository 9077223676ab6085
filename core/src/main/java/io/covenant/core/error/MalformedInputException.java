package io.covenant.core.error;

/** Input that does not parse or does not satisfy its format's rules (a file, an id, a JSON document). */
public class MalformedInputException extends CovenantException {
  public MalformedInputException(String message) {
    super(message);
  }

  public MalformedInputException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.covenant.tee.compute;

import io.covenant.core.error.CovenantException;

/**
 * The enclave refused to run a query because its result could reveal individual rows: it is not an aggregate, it
 * reads something other than the job's datasets, or it uses a construct the output controls cannot account for.
 * Refused before any key is requested. The message names the construct and how to rewrite the query.
 */
public class QueryRefusedException extends CovenantException {
  public QueryRefusedException(String message) {
    super(message);
  }

  public QueryRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.covenant.tee.compute;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.DatasetVersion;

/**
 * The policy the worker was handed for an input is not the one its owner released the key under (the hash the owner
 * sealed with the key): the worker would otherwise apply output controls the owner never authorised. Raised before
 * any row of the input is loaded.
 */
public final class PolicyMismatchException extends IntegrityException {
  private final DatasetVersion dataset;
  private final Digest handed;
  private final Digest released;

  public PolicyMismatchException(DatasetVersion dataset, Digest handed, Digest released) {
    super("the policy handed to the worker for " + dataset + " hashes to " + handed.hex() + ", but its owner released the key under policy "
        + released.hex() + "; the worker refuses to compute under output controls the owner did not authorise and loaded no row; "
        + "the coordinator must dispatch the job with the policy its JOB_AUTHORIZED binds");
    this.dataset = dataset;
    this.handed = handed;
    this.released = released;
  }

  public DatasetVersion dataset() {
    return dataset;
  }

  /** The hash of the policy the worker was handed. */
  public Digest handed() {
    return handed;
  }

  /** The hash the owner sealed with the released key. */
  public Digest released() {
    return released;
  }
}

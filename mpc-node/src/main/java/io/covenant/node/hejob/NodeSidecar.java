package io.covenant.node.hejob;

import io.covenant.mpc.he.HeEvaluator;
import io.covenant.mpc.he.SealSidecar;
import java.util.function.Supplier;

/**
 * The node's SEAL sidecar: started on the first he job (installing node-seal into its cache if needed), and started
 * again when a job finds it dead or broken, so that a job after a crash runs on a fresh process. A job under way when it
 * dies fails with the sidecar's own message ({@link io.covenant.mpc.he.HeSidecarException}).
 */
public final class NodeSidecar implements Supplier<HeEvaluator>, AutoCloseable {
  private final String name;
  private SealSidecar sidecar;

  public NodeSidecar(String name) {
    this.name = name;
  }

  @Override
  public synchronized HeEvaluator get() {
    if (sidecar == null) sidecar = SealSidecar.start(name);
    else if (!sidecar.isHealthy()) sidecar.restart();
    return sidecar;
  }

  /** The running sidecar's process id, or -1 before the first he job. */
  public synchronized long pid() {
    return sidecar == null ? -1 : sidecar.pid();
  }

  @Override
  public synchronized void close() {
    if (sidecar != null) sidecar.close();
    sidecar = null;
  }
}

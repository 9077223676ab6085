package io.covenant.storage.ipfs;

import io.covenant.storage.blockstore.IpfsBlockstore;
import java.net.URI;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real IPFS node for the {@code @Tag("ipfs")} tests: Kubo (the reference implementation), at the release pinned in
 * {@code .ci/peers.sh}, built on first use with Go into the git-ignored {@code .ci/cache/} and reused afterwards,
 * started once per test run as a {@link KuboNode} (fresh repository, {@code init --profile test}, API, gateway and
 * swarm on 127.0.0.1 at ports the OS picks, no bootstrap peers, no mDNS), and killed when the run ends.
 *
 * <p>Without Go or the Go module proxy the tests fail, saying what failed and how to retry: they are part of the
 * default run and must not pass by being skipped.
 */
public final class TestIpfsNode implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == IpfsBlockstore.class || p.getParameter().getType() == Running.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    Running node = c.getRoot().getStore(ExtensionContext.Namespace.create(TestIpfsNode.class))
        .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    return p.getParameter().getType() == Running.class ? node : node.store();
  }

  /** The daemon, closed by JUnit at the end of the whole run (a root-store resource), or by a shutdown hook. */
  public static final class Running implements ExtensionContext.Store.CloseableResource {
    private final KuboNode node;
    private final Thread hook;

    private Running(KuboNode node) {
      this.node = node;
      this.hook = new Thread(node::close, "kubo-killer");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    static Running start() {
      return new Running(KuboNode.start());
    }

    public URI api() {
      return node.api();
    }

    /** A client with a short timeout, so a missing block fails fast. */
    public IpfsBlockstore store() {
      return node.store();
    }

    @Override
    public synchronized void close() {
      node.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // The JVM is already shutting down; the hook closes the node again, harmlessly.
      }
    }
  }
}

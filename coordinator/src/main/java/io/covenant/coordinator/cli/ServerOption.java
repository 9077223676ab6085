package io.covenant.coordinator.cli;

import io.covenant.coordinator.client.CoordinatorClient;
import picocli.CommandLine.Option;

/**
 * {@code --server URL}: talk to a running './covenant serve' instead of opening the data directory. The organisation's
 * keys are still read from {@code --data-dir} on this machine and everything is signed here; the server gets only
 * signed events.
 */
final class ServerOption {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Talk to the coordinator served at URL (for example http://127.0.0.1:8480) instead of opening the data"
          + " directory; keys are still read from --data-dir and everything is signed on this machine.")
  String url;

  boolean given() {
    return url != null;
  }

  CoordinatorClient client() {
    return CoordinatorClient.of(url);
  }
}

package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.HeDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "he",
    mixinStandardHelpOptions = true,
    description = {
      "Runs homomorphic encryption (Microsoft SEAL's CKKS scheme, in each node's own SEAL sidecar) with every organisation in",
      "its own process. The insurer scores one hospital's claims with a pricing model whose weights never leave its node:",
      "its node encrypts the model under a key it makes for the job, the hospital's node evaluates it on its own rows under",
      "encryption, and only the insurer's node decrypts. Then three hospitals' nodes each encrypt their per-diagnosis claim",
      "counts and costs under the insurer's key, the coordinator adds the ciphertexts without any key, and the insurer's",
      "node decrypts the total. Both results are printed beside the plaintext answers with the precision reached, and the",
      "audit trail (with the hash of every ciphertext) is verified. The first run installs the sidecar from npm.",
      "",
      "It runs on the international crypto suite only and refuses --suite sm: the engine's object digests are bound into",
      "its own messages as SHA-256, which a national ledger must not record."
    })
final class HeDemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @picocli.CommandLine.ParentCommand DemoCommand demo;
  @Mixin SuiteOption suite;

  @Override
  public Integer call() {
    DemoCommand.requireInternationalSuite("demo he", DemoCommand.HE_DIGESTS, demo, suite);
    DemoCommand.requireEmbeddedDefaults(dataDir, "");
    try (var outcome = new HeDemo(System.out).run(dataDir.path())) {
      return 0;
    }
  }
}

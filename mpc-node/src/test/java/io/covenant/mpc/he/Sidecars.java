package io.covenant.mpc.he;

/**
 * Test set-up: installs the sidecar through the same main-code installer a node uses ({@link HeSidecarInstall}, into
 * the repository's git-ignored .ci/cache/he-sidecar/) and starts one per party. Classes start theirs once and share it.
 */
final class Sidecars {
  private Sidecars() {}

  static SealSidecar start(String name) {
    return SealSidecar.start(HeSidecarInstall.install(), SealSidecar.Options.named(name));
  }
}

package io.covenant.mpc.he;

import java.nio.file.Path;

/** An installed sidecar: the Node.js program to run and the script (beside its {@code node_modules}). */
public record SidecarInstallation(Path node, Path script) {}

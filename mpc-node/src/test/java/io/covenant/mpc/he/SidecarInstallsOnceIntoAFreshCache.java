package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on a fresh machine: two callers ask for the sidecar at once in an empty cache folder; npm ci runs once (one
 * log, one installed folder, no partial folder left), both get the same installation, and SEAL answers from it.
 */
class SidecarInstallsOnceIntoAFreshCache {
  @TempDir
  Path cache;

  @Test
  void twoCallersOneInstall() throws Exception {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
    CompletableFuture<SidecarInstallation> a;
    CompletableFuture<SidecarInstallation> b;
    System.setErr(new java.io.PrintStream(progress, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      a = CompletableFuture.supplyAsync(() -> HeSidecarInstall.installInto(cache));
      b = CompletableFuture.supplyAsync(() -> HeSidecarInstall.installInto(cache));
      assertEquals(a.get().script(), b.get().script());
    } finally {
      System.setErr(err);
    }
    String lines = progress.toString(java.nio.charset.StandardCharsets.UTF_8);
    err.print(lines);
    assertEquals(1, lines.lines().filter(l -> l.contains("installing the homomorphic-encryption sidecar")).count(), "npm ci ran more than once:\n" + lines);
    List<String> names;
    try (Stream<Path> s = Files.list(cache)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(1, names.stream().filter(n -> n.endsWith(".npm.log")).count(), names.toString());
    assertEquals(0, names.stream().filter(n -> n.endsWith(".partial")).count(), names.toString());
    assertTrue(Files.isDirectory(a.get().script().getParent().resolve("node_modules/node-seal")));
    try (SealSidecar s = SealSidecar.start(a.get(), SealSidecar.Options.named("fresh"))) {
      assertTrue(s.implementation().contains("node-seal 6.0.3"), s.implementation());
    }
  }
}

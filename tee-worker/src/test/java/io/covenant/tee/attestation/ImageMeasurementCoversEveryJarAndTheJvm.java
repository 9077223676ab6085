package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationException;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enclave image's measurement covers every class-path jar and directory and the JVM: it changes when any of them
 * changes by one byte, and it does not depend on where the files lie or in which order the class path names them.
 */
class ImageMeasurementCoversEveryJarAndTheJvm {
  @TempDir Path temp;
  private Path jvm;
  private List<Path> classPath;

  @BeforeEach
  void aSmallImage() throws Exception {
    jvm = temp.resolve("jdk");
    Files.createDirectories(jvm.resolve("lib/server"));
    Files.writeString(jvm.resolve("release"), "JAVA_VERSION=\"25\"\n");
    Files.write(jvm.resolve("lib/modules"), new byte[] {1, 2, 3});
    Files.write(jvm.resolve("lib/server/" + System.mapLibraryName("jvm")), new byte[] {4, 5, 6});
    Files.write(jvm.resolve("lib/" + System.mapLibraryName("java")), new byte[] {7});
    Files.write(jvm.resolve("lib/" + System.mapLibraryName("nio")), new byte[] {8});
    classPath = new ArrayList<>();
    for (String name : List.of("worker.jar", "duckdb_jdbc.jar", "core.jar")) {
      Path jar = temp.resolve("cp").resolve(name);
      Files.createDirectories(jar.getParent());
      Files.writeString(jar, "contents of " + name);
      classPath.add(jar);
    }
    Path classes = temp.resolve("cp/classes");
    Files.createDirectories(classes.resolve("io/covenant"));
    Files.writeString(classes.resolve("io/covenant/A.class"), "class A");
    classPath.add(classes);
  }

  private EnclaveImage image() {
    return EnclaveImage.measure(classPath, jvm);
  }

  @Test
  void listsEachJarTheDirectoryAndTheJvmParts() {
    var kinds = image().components().stream().map(c -> c.kind() + ":" + c.name()).toList();
    assertEquals(List.of("JAR:core.jar", "JAR:duckdb_jdbc.jar", "JAR:worker.jar", "CLASSES:classes/", "JVM_RELEASE:release",
        "JVM_CLASS_LIBRARY:lib/modules", "JVM_VM:lib/server/" + System.mapLibraryName("jvm"), "JVM_NATIVE:2 libraries under lib/"), kinds);
  }

  @Test
  void changesWhenOneByteOfAJarChanges() throws Exception {
    var before = image().total();
    Files.writeString(classPath.get(1), "contents of duckdb_jdbc.jaR");
    assertNotEquals(before, image().total());
  }

  @Test
  void theJarsALaunchersManifestNamesAreMeasuredToo() throws Exception {
    Path launcher = temp.resolve("app/covenant.jar");
    Files.createDirectories(temp.resolve("app/lib"));
    var manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "lib/duckdb_jdbc-1.4.1.0.jar lib/missing.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(launcher), manifest)) {
      out.putNextEntry(new java.util.jar.JarEntry("io/covenant/Main.class"));
      out.write(new byte[] {1});
      out.closeEntry();
    }
    Path dependency = temp.resolve("app/lib/duckdb_jdbc-1.4.1.0.jar");
    Files.writeString(dependency, "native library inside");
    var image = EnclaveImage.measure(List.of(launcher), jvm);
    assertEquals(List.of("covenant.jar", "duckdb_jdbc-1.4.1.0.jar"),
        image.components().stream().filter(c -> c.kind() == EnclaveImage.Kind.JAR).map(EnclaveImage.Component::name).toList());
    Files.writeString(dependency, "native library inside, patched");
    assertNotEquals(image.total(), EnclaveImage.measure(List.of(launcher), jvm).total());
  }

  @Test
  void changesWhenAJarIsAdded() throws Exception {
    var before = image().total();
    Path extra = temp.resolve("cp/agent.jar");
    Files.writeString(extra, "injected");
    classPath.add(extra);
    assertNotEquals(before, image().total());
  }

  @Test
  void changesWhenAClassInADirectoryChanges() throws Exception {
    var before = image().total();
    Files.writeString(temp.resolve("cp/classes/io/covenant/B.class"), "class B");
    assertNotEquals(before, image().total());
  }

  @Test
  void changesWhenTheJvmChanges() throws Exception {
    var before = image().total();
    Files.write(jvm.resolve("lib/server/" + System.mapLibraryName("jvm")), new byte[] {4, 5, 7});
    var afterVm = image().total();
    assertNotEquals(before, afterVm);
    Files.write(jvm.resolve("lib/" + System.mapLibraryName("nio")), new byte[] {9});
    assertNotEquals(afterVm, image().total());
    Files.writeString(jvm.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
    assertNotEquals(afterVm, image().total());
  }

  @Test
  void isIndependentOfClassPathOrderAndLocation() throws Exception {
    var before = image().total();
    Collections.reverse(classPath);
    assertEquals(before, image().total());
    List<Path> moved = new ArrayList<>();
    for (Path p : classPath) {
      Path target = temp.resolve("elsewhere").resolve(p.getFileName());
      Files.createDirectories(target.getParent());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target.resolve("io/covenant"));
        Files.copy(p.resolve("io/covenant/A.class"), target.resolve("io/covenant/A.class"));
      } else {
        Files.copy(p, target);
      }
      moved.add(target);
    }
    assertEquals(before, EnclaveImage.measure(moved, jvm).total());
  }

  @Test
  void thisWorkersImageIsWhatTheSimulationAttests() {
    EnclaveImage current = EnclaveImage.current();
    assertEquals(current.total(), SimulatedAttestationProvider.codeMeasurement());
    assertTrue(current.components().stream().anyMatch(c -> c.kind() == EnclaveImage.Kind.JAR && c.name().startsWith("duckdb_jdbc")),
        "DuckDB's jar, which carries its native library, is part of the worker's image: " + current.components());
    assertTrue(current.components().stream().anyMatch(c -> c.kind() == EnclaveImage.Kind.JVM_VM));
  }

  @Test
  void aJvmWithoutItsVirtualMachineCannotBeMeasured() throws Exception {
    Files.delete(jvm.resolve("lib/server/" + System.mapLibraryName("jvm")));
    var e = assertThrows(AttestationException.class, this::image);
    assertTrue(e.getMessage().contains("has no " + System.mapLibraryName("jvm")), e.getMessage());
  }
}

package io.covenant.coordinator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real './covenant serve --port 0' in its own JVM (this build's classes), on a free port; {@link #server()} is the
 * address it printed. Closing it sends it SIGTERM, as Ctrl-C would, and waits for it to stop.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("covenant: serving .* at (https?://\\S+)/api \\(Ctrl-C to stop\\)");
  private final Process process;
  private final String server;
  final StringBuilder output = new StringBuilder();

  ServeProcess(Path dataDir, String... extra) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(launcherFlags(java));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.covenant.coordinator.cli.CovenantCli", "serve", "--port", "0",
        "--data-dir", dataDir.toString()));
    cmd.addAll(List.of(extra));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String found = null;
    for (String line; found == null && (line = out.readLine()) != null; ) {
      output.append(line).append('\n');
      Matcher m = SERVING.matcher(line);
      if (m.matches()) found = m.group(1);
    }
    if (found == null) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("serve did not start:\n" + output);
    }
    server = found;
    // Keep draining what it prints, so it never blocks on a full pipe.
    Thread drain = new Thread(() -> out.lines().forEach(l -> output.append(l).append('\n')));
    drain.setDaemon(true);
    drain.start();
  }

  /** The JVM flags the './covenant' launcher passes (Arrow's allocator needs them). */
  static List<String> launcherFlags(String java) {
    List<String> flags = new java.util.ArrayList<>(List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 24) flags.add("--sun-misc-unsafe-memory-access=allow");
    return flags;
  }

  String server() {
    return server;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curl example of docs/api.md, run as it stands with bash and curl against a real './covenant serve' in its own
 * JVM: './covenant' in it is this build's CLI (a one-line script in the working folder), and only the server's address
 * is replaced by the free port's. The output must show what the doc says it shows.
 */
class ApiDocExampleRunsWithCurl {
  @TempDir Path dataDir;
  @TempDir Path work;

  static String example() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "api.md"));
    Matcher m = Pattern.compile("<!-- The block below is run as it stands[^>]*-->\\s*```bash\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertTrue(m.find(), "docs/api.md keeps its tested example block");
    return m.group(1);
  }

  @Test
  void theDocsCurlExampleWorks() throws Exception {
    Assumptions.assumeTrue(new File("/usr/bin/curl").canExecute() || new File("/bin/curl").canExecute(), "curl is not installed");
    String script = example();
    assertTrue(script.contains("SERVER=http://127.0.0.1:8480\n"), script);
    try (SmallFederation f = new SmallFederation(dataDir, 300)) {
      // the demo's organisations, datasets and policies
    }
    try (ServeProcess serve = new ServeProcess(dataDir)) {
      String server = serve.server();
      Path cli = work.resolve("covenant");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Files.writeString(cli, "#!/usr/bin/env bash\nexec " + String.join(" ", ServeProcess.launcherFlags("'" + java + "'"))
          + " -cp '" + System.getProperty("java.class.path") + "' io.covenant.coordinator.cli.CovenantCli \"$@\"\n");
      assertTrue(cli.toFile().setExecutable(true));
      Files.createSymbolicLink(work.resolve("covenant-data"), dataDir);

      Process p = new ProcessBuilder("bash", "-e", "-c", script.replace("SERVER=http://127.0.0.1:8480\n", "SERVER=" + server + "\n"))
          .directory(work.toFile()).redirectErrorStream(true).start();
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example finishes");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("\"state\":\"COMMITTED\""), out);
      assertTrue(out.contains("\"items\":["), out);
      assertTrue(out.contains("already submitted"), out);
      assertTrue(out.contains("DELETE is not allowed"), out);
      assertTrue(out.contains("chapter"), "the opened result table: " + out);
    }
  }
}

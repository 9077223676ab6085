package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.cli.CovenantCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs docs/tutorial.md as written: every ```bash block in order (shell blocks through bash in a scratch folder,
 * './covenant' commands in-process on a data directory there), and compares each command's output with the ```text
 * block under it by shape: the same tables (by their header) and the same first word of every other line, in the
 * same order. Numbers, ids, keys and times may differ (results are noised; ids are random), the shape may not.
 *
 * <p>With {@code -Dcovenant.tutorial.write=true} it writes the outputs it got into the doc instead, which is how
 * the doc's outputs were made.
 */
class TutorialRunsAsWritten {
  private static final Pattern BLOCK = Pattern.compile("(?ms)^```(bash|text)\\n(.*?)^```\\n");
  private static final Pattern JOB_ID = Pattern.compile("job-[0-9a-f]{16}");
  private static final Pattern SEPARATOR = Pattern.compile("^-+(  +-+)*$");

  @TempDir Path dir;

  @Test
  void everyCommandRunsAndPrintsWhatTheTutorialShows() throws Exception {
    Path doc = OperationsDocNamesFilesThatExist.repositoryRoot().resolve("docs/tutorial.md");
    String text = Files.readString(doc);
    boolean write = Boolean.getBoolean("covenant.tutorial.write");
    Matcher m = BLOCK.matcher(text);
    StringBuilder rewritten = new StringBuilder();
    int copied = 0;
    String lastOutput = null;
    String lastJob = "job-0000000000000000";
    int commands = 0;
    List<String> problems = new ArrayList<>();
    while (m.find()) {
      String body = m.group(2);
      if (m.group(1).equals("bash")) {
        if (body.strip().startsWith("./covenant ")) {
          assertEquals(1, body.strip().lines().count(), "one ./covenant command per block: " + body);
          String command = JOB_ID.matcher(body.strip()).replaceAll(lastJob);
          lastOutput = run(command);
          commands++;
          Matcher id = JOB_ID.matcher(lastOutput);
          while (id.find()) if (!id.group().equals(lastJob) && lastOutput.contains("job " + id.group() + ":")) lastJob = id.group();
        } else {
          shell(body);
          lastOutput = null;
        }
      } else {
        assertNotNull(lastOutput, "a text block must follow a ./covenant command: " + body);
        if (write) {
          rewritten.append(text, copied, m.start(2)).append(lastOutput);
          copied = m.end(2);
        } else {
          List<String> want = shape(body), got = shape(lastOutput);
          if (!want.equals(got)) problems.add("output differs in shape from the tutorial:\n  tutorial: " + want + "\n  actual:   " + got + "\n" + lastOutput);
        }
        lastOutput = null;
      }
    }
    assertTrue(commands >= 14, "the tutorial's commands were found: " + commands);
    if (write) {
      rewritten.append(text.substring(copied));
      Files.writeString(doc, rewritten.toString());
    }
    assertEquals(List.of(), problems, String.join("\n\n", problems));
  }

  /** One './covenant' command in-process: files named relative to the scratch folder, the data directory in it. */
  private String run(String command) {
    List<String> words = words(command.substring("./covenant ".length()));
    List<String> args = new ArrayList<>();
    for (String w : words) args.add(w.matches("[A-Za-z0-9_.-]+\\.(csv|json|parquet)") ? dir.resolve(w).toString() : w);
    CommandLine.ParseResult parsed = CovenantCli.commandLine().parseArgs(args.toArray(String[]::new));
    while (parsed.hasSubcommand()) parsed = parsed.subcommand();
    if (parsed.commandSpec().findOption("--data-dir") != null) {
      args.add("--data-dir");
      args.add(dir.resolve("covenant-data").toString());
    }
    CliRun r = CliRun.bare(args.toArray(String[]::new));
    String out = r.out() + r.err();
    // As a person running the tutorial in their own folder sees it: the default data directory, files named as typed.
    return out.replace(dir.resolve("covenant-data").toString(), "./covenant-data").replace(dir.toString() + "/", "").replace(dir.toString(), ".");
  }

  private void shell(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-e", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the shell block finished: " + script);
    assertEquals(0, p.exitValue(), script + "\n" + out);
  }

  /**
   * The shape of an output: each table as "TABLE" and its header, every other line as its first word with digits
   * masked. A table runs from its header over the separator to the last line whose column gaps line up with it.
   */
  static List<String> shape(String output) {
    List<String> lines = output.lines().toList();
    List<String> shape = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i + 1 < lines.size() && SEPARATOR.matcher(lines.get(i + 1).strip()).matches() && !line.isBlank()) {
        List<Integer> starts = columnStarts(lines.get(i + 1));
        shape.add("TABLE " + line.strip().replaceAll("\\s+", " "));
        i += 1;
        while (i + 1 < lines.size() && isRow(lines.get(i + 1), starts)) i++;
        continue;
      }
      if (line.isBlank()) continue;
      String first = line.strip().split("\\s+")[0];
      shape.add(first.replaceAll("[0-9]+", "#").toLowerCase(Locale.ROOT));
    }
    return shape;
  }

  private static List<Integer> columnStarts(String separator) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 1; i < separator.length(); i++) if (separator.charAt(i) == '-' && separator.charAt(i - 1) == ' ') starts.add(i);
    return starts;
  }

  private static boolean isRow(String line, List<Integer> starts) {
    if (line.isBlank()) return false;
    for (int s : starts) {
      if (s < line.length() && (line.charAt(s - 1) != ' ' || line.charAt(s - 2) != ' ')) return false;
    }
    return true;
  }

  /** Splits a command line as a shell would, for the quoting the tutorial uses ('...' and "..."). */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) quote = 0;
        else w.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || w.length() > 0) out.add(w.toString());
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
      }
    }
    if (any || w.length() > 0) out.add(w.toString());
    return out;
  }
}

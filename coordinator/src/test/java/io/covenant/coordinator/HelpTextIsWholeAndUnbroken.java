package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.cli.CovenantCli;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's --help, found by walking picocli's command tree: each command list shows whole sentences, no
 * wrapped line splits a path or URL, every positional argument and option says what it is, and no line is wider
 * than the layout's width.
 */
class HelpTextIsWholeAndUnbroken {
  private static final Pattern PATH_OR_URL = Pattern.compile("(?:https?://|\\./|docs/)[^\\s'\",;)]*[^\\s'\",;).]");

  @Test
  void everyCommandsHelpIsWholeAndUnbroken() {
    List<CommandLine> all = new ArrayList<>();
    walk(CovenantCli.commandLine(), all);
    assertTrue(all.size() > 25, "the walk found every sub-command: " + all.size());
    List<String> problems = new ArrayList<>();
    for (CommandLine c : all) {
      CommandSpec spec = c.getCommandSpec();
      String name = spec.qualifiedName();
      CliRun help = CliRun.bare(withHelp(spec));
      if (help.exit() != 0) problems.add(name + ": --help exits " + help.exit());
      String text = help.out();
      String[] lines = text.split("\n");
      for (String line : lines) {
        if (line.length() > 80) problems.add(name + ": line wider than 80 characters: " + line);
      }
      for (CommandLine sub : c.getSubcommands().values()) {
        String summary = String.join(" ", sub.getCommandSpec().usageMessage().header().length > 0
            ? sub.getCommandSpec().usageMessage().header() : sub.getCommandSpec().usageMessage().description()).strip();
        if (!summary.matches("(?s).*[.!?)]$")) problems.add(sub.getCommandSpec().qualifiedName() + ": description does not end a sentence: " + summary);
        String listed = commandListEntry(text, sub.getCommandName());
        if (listed.isEmpty() || !listed.matches("(?s).*[.!?]$") || !summary.replaceAll("\\s+", " ").startsWith(listed)) {
          problems.add(name + ": the command list cuts the summary of '" + sub.getCommandName() + "': " + listed);
        }
      }
      for (String token : sourceTokens(spec)) {
        if (!text.contains(token)) problems.add(name + ": the help splits '" + token + "' across lines");
      }
      spec.positionalParameters().forEach(p -> {
        if (p.description().length == 0 || String.join("", p.description()).isBlank()) problems.add(name + ": " + p.paramLabel() + " has no description");
      });
      spec.options().forEach(o -> {
        if (o.description().length == 0 || String.join("", o.description()).isBlank()) problems.add(name + ": " + o.longestName() + " has no description");
      });
    }
    assertEquals(List.of(), problems, String.join("\n", problems));
  }

  private static void walk(CommandLine c, List<CommandLine> out) {
    out.add(c);
    for (CommandLine sub : new LinkedHashSet<>(c.getSubcommands().values())) walk(sub, out);
  }

  private static String[] withHelp(CommandSpec spec) {
    List<String> args = new ArrayList<>();
    for (CommandSpec s = spec; s.parent() != null; s = s.parent()) args.addFirst(s.name());
    if (spec.name().equals("help")) return args.toArray(String[]::new);
    args.add("--help");
    return args.toArray(String[]::new);
  }

  /** The summary a command list shows for {@code sub}, its wrapped lines joined. */
  private static String commandListEntry(String help, String sub) {
    String[] lines = help.split("\n");
    StringBuilder sb = new StringBuilder();
    boolean in = false;
    for (String line : lines) {
      Matcher m = Pattern.compile("^  (\\S+)\\s{2,}(.*)$").matcher(line);
      if (m.matches()) {
        if (in) break;
        if (m.group(1).equals(sub)) {
          in = true;
          sb.append(m.group(2).strip());
        }
      } else if (in && line.startsWith("    ") && !line.isBlank()) {
        sb.append(' ').append(line.strip());
      } else if (in) {
        break;
      }
    }
    return sb.toString();
  }

  /** Paths and URLs in a command's own texts (description, options, parameters, defaults): each must print whole. */
  private static Set<String> sourceTokens(CommandSpec spec) {
    List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
    spec.args().forEach(a -> {
      texts.addAll(List.of(a.description()));
      if (a.defaultValue() != null) texts.add(a.defaultValue());
    });
    Set<String> tokens = new LinkedHashSet<>();
    for (String t : texts) {
      Matcher m = PATH_OR_URL.matcher(t);
      while (m.find()) if (!m.group().contains("${")) tokens.add(m.group());
    }
    return tokens;
  }
}

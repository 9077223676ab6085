package io.covenant.coordinator.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every command's {@code --help} is laid out. Picocli wraps text with the JDK's line BreakIterator, which breaks
 * after hyphens and slashes, so {@code ./covenant-data} or a URL could be split across lines; and it shows only the
 * first element of a multi-line description in command lists, which cut sentences in half. So: descriptions are
 * joined into whole paragraphs, command lists show each command's whole first sentence, picocli renders without
 * wrapping, and this class wraps at spaces only, keeping each column's indentation.
 */
final class HelpLayout {
  /** Width of the help a person reads. */
  static final int WIDTH = 80;
  private static final int UNWRAPPED = 2000;
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s+[A-Z'(]|$)");
  private static final Pattern COLUMN_GAP = Pattern.compile("^(\\s*\\S.*?\\s{2,})\\S");

  private HelpLayout() {}

  /** Applies the layout to {@code cli} and every sub-command under it. */
  static CommandLine apply(CommandLine cli) {
    joinDescriptions(cli.getCommandSpec());
    cli.setUsageHelpWidth(UNWRAPPED);
    Map<String, CommandLine.IHelpSectionRenderer> sections = new LinkedHashMap<>();
    cli.getHelpSectionMap().forEach((key, renderer) -> {
      switch (key) {
        case CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST -> sections.put(key, help -> wrap(commandList(help)));
        // The synopsis follows the "Usage: " heading on the same line: wrap it as if that were part of it.
        case CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS -> sections.put(key, help -> wrap("Usage: " + renderer.render(help)).substring(7));
        case CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST ->
            sections.put(key, help -> wrap(joinContinuations(renderer.render(help))));
        default -> sections.put(key, help -> wrap(renderer.render(help)));
      }
    });
    cli.setHelpSectionMap(sections);
    for (CommandLine sub : cli.getSubcommands().values()) apply(sub);
    return cli;
  }

  /** The whole first sentence of a command's header, or else of its description: what a command list shows. */
  static String summary(CommandSpec spec) {
    String[] lines = spec.usageMessage().header().length > 0 ? spec.usageMessage().header() : spec.usageMessage().description();
    String text = String.join(" ", lines).replace("%n", " ").replaceAll("\\s+", " ").strip();
    Matcher m = SENTENCE_END.matcher(text);
    return m.find() ? text.substring(0, m.end()) : text;
  }

  private static void joinDescriptions(CommandSpec spec) {
    String[] d = spec.usageMessage().description();
    if (d.length > 1) spec.usageMessage().description(String.join(" ", d).replaceAll("\\s+", " ").strip());
  }

  private static String commandList(CommandLine.Help help) {
    Map<String, CommandLine.Help> subs = help.subcommands();
    if (subs.isEmpty()) return "";
    int nameWidth = subs.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (var e : subs.entrySet()) {
      String name = e.getKey();
      sb.append("  ").append(name).append(" ".repeat(nameWidth - name.length() + 2)).append(summary(e.getValue().commandSpec())).append('\n');
    }
    return sb.toString();
  }

  /**
   * Rendered without wrapping, an option's description spans several lines only where its text was given as several
   * strings; joined, it wraps as one paragraph. A line after a bare option name (a name too long for the name column)
   * is the start of that option's description and stays where it is.
   */
  private static String joinContinuations(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      boolean continuation = leading(line) >= 10 && !line.isBlank();
      if (continuation && !out.isEmpty() && COLUMN_GAP.matcher(out.getLast()).find()) {
        out.set(out.size() - 1, out.getLast().stripTrailing() + " " + line.strip());
      } else {
        out.add(line);
      }
    }
    return String.join("\n", out);
  }

  /**
   * Wraps every line longer than {@link #WIDTH} at spaces, never inside a word, path or URL. A continuation line is
   * indented to where the line's text column starts (after the first gap of two or more spaces, as picocli lays out
   * option and command lists), or to the line's own indentation.
   */
  static String wrap(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (out.length() > 0) out.append('\n');
      if (line.length() <= WIDTH) {
        out.append(line);
        continue;
      }
      Matcher gap = COLUMN_GAP.matcher(line);
      int indent;
      if (line.startsWith("Usage: ")) {
        int options = line.indexOf(" [");
        indent = options > 0 && options < WIDTH / 2 ? options + 1 : "Usage: ".length();
      } else {
        indent = gap.find() && gap.end(1) < WIDTH / 2 ? gap.end(1) : leading(line);
      }
      String head = line.substring(0, indent);
      List<String> words = new ArrayList<>(List.of(line.substring(indent).strip().split(" +")));
      StringBuilder current = new StringBuilder(head);
      boolean first = true;
      for (String w : words) {
        boolean empty = current.length() == indent;
        if (!empty && current.length() + 1 + w.length() > WIDTH) {
          out.append(stripEnd(current)).append('\n');
          current = new StringBuilder(" ".repeat(indent));
          empty = true;
        }
        if (!empty) current.append(' ');
        current.append(w);
        first = false;
      }
      if (!first) out.append(stripEnd(current));
    }
    return out.toString();
  }

  private static int leading(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') i++;
    return i;
  }

  private static String stripEnd(CharSequence s) {
    return s.toString().stripTrailing();
  }
}

package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.codec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'job submit' and 'job result' say how many groups the enclave left out under the minimum cohort, whether values
 * are noised, and, when nothing was released, how to group more coarsely. The counts must add up to the table shown.
 */
class ResultSaysWhatWasLeftOutAndWhy {
  @TempDir Path dir;

  private CliRun cli(String... args) {
    return CliRun.of(dir.resolve("data"), args);
  }

  @Test
  void theCountsAddUpAndAnEmptyResultSuggestsCoarserGroups() throws IOException {
    new SmallFederation(dir.resolve("data"), 300).close();
    Path job = Files.writeString(dir.resolve("job.json"), Json.obj("consumer", "insurer-x", "purpose", "risk-model", "engine", "tee",
        "datasets", List.of("hospital-a/claims", "hospital-b/claims", "hospital-c/claims"),
        "sql", HospitalInsurerDemo.STATISTICS_SQL).encode());
    CliRun submitted = cli("job", "submit", job.toString());
    assertEquals(0, submitted.exit(), submitted.out() + submitted.err());
    Matcher id = Pattern.compile("job (job-[0-9a-f]{16}): COMMITTED").matcher(submitted.out());
    assertTrue(id.find(), submitted.out());
    checkCounts(submitted.out());
    CliRun result = cli("job", "result", id.group(1), "--as", "insurer-x");
    assertEquals(0, result.exit(), result.err());
    checkCounts(result.out());

    var hospitals = HospitalInsurerDemo.HOSPITALS;
    try (var d = io.covenant.coordinator.deployment.LocalDeployment.open(dir.resolve("data"))) {
      for (var h : hospitals) d.owner(h.org()).publishPolicy(PolicyVariants.demoPolicyWith(h.org(), "minCohort", 5000));
    }
    CliRun empty = cli("job", "submit", job.toString());
    assertEquals(0, empty.exit(), empty.out() + empty.err());
    assertTrue(empty.out().contains("the minimum cohort of 5000"), empty.out());
    assertTrue(empty.out().contains("nothing was released") && empty.out().contains("coarser"), empty.out());
    assertTrue(empty.out().contains("icd10_chapter(diagnosis), age_band(age)"), "names the query's grouping: " + empty.out());

    CliRun denied = cli("job", "result", "job-0000000000000000", "--as", "insurer-x");
    assertEquals(1, denied.exit());
    assertTrue(denied.err().contains("not known here"), denied.err());
  }

  /** The released rows plus the groups left out make the total the explanation states. */
  private static void checkCounts(String out) {
    String[] lines = out.split("\n");
    int header = -1;
    for (int i = 0; i < lines.length; i++) if (lines[i].startsWith("chapter")) header = i;
    assertTrue(header >= 0, out);
    int rows = 0;
    for (int i = header + 2; i < lines.length && !lines[i].matches("^(all |\\d+ of |values ).*"); i++) rows++;
    Matcher some = Pattern.compile("(\\d+) of (\\d+) groups (?:was|were) under the minimum cohort of 10").matcher(out);
    Matcher all = Pattern.compile("all (\\d+) groups? reached the minimum cohort of 10").matcher(out);
    if (some.find()) {
      assertEquals(Integer.parseInt(some.group(2)) - Integer.parseInt(some.group(1)), rows, out);
    } else {
      assertTrue(all.find(), out);
      assertEquals(Integer.parseInt(all.group(1)), rows, out);
    }
    assertTrue(out.contains("values are exact") || out.contains("values are noised"), out);
  }
}

package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.core.codec.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs, datasets and policies page with ?limit=&after=: full pages, a cursor to the next, null on the last page. */
class ApiListsPageWithACursor {
  @TempDir static Path dir;
  static ApiServer api;
  static final List<String> jobIds = new ArrayList<>();

  @BeforeAll
  static void start() {
    try (SmallFederation f = new SmallFederation(dir, 200)) {
      // Five denied jobs: recorded like any other, and quick (no engine run).
      for (int i = 0; i < 5; i++) {
        JobOutcome o = f.submit(HospitalInsurerDemo.SINGLING_OUT_SQL);
        jobIds.add(o.job().value());
      }
    }
    api = new ApiServer(dir);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** Walks a list route with the given limit; returns the keys in order and checks each page's size and cursor. */
  private static List<String> walk(String route, String key, int limit, int expectedTotal) {
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      var r = api.get(route + "?limit=" + limit + (after == null ? "" : "&after=" + after));
      assertEquals(200, r.statusCode(), r.body());
      Json.JObject page = Json.parseObject(r.body());
      List<Json.JObject> items = page.objects("items");
      items.forEach(i -> seen.add(i.string(key)));
      after = page.has("next") ? page.string("next") : null;
      pages++;
      if (after != null) {
        assertEquals(limit, items.size(), "a page with a next cursor is full");
        assertEquals(items.get(items.size() - 1).string(key), after, "the cursor is the last item's key");
      } else {
        assertTrue(items.size() <= limit);
      }
      assertTrue(pages <= expectedTotal + 1, "paging must end");
    } while (after != null);
    assertEquals(expectedTotal, seen.size(), route + " " + seen);
    assertEquals(expectedTotal, new java.util.HashSet<>(seen).size(), "no item twice");
    assertEquals((expectedTotal + limit - 1) / limit, pages, "pages for limit " + limit);
    return seen;
  }

  @Test
  void jobsPageInSubmissionOrder() {
    assertEquals(jobIds, walk("/jobs", "job", 2, 5));
    assertEquals(jobIds, walk("/jobs", "job", 5, 5), "exactly one full page has no next cursor");
    assertEquals(jobIds, walk("/jobs", "job", 500, 5));
  }

  @Test
  void datasetsAndPoliciesPageToo() {
    assertEquals(List.of("hospital-a/claims@1", "hospital-b/claims@1", "hospital-c/claims@1"), walk("/datasets", "dataset", 2, 3));
    walk("/policies", "hash", 1, 3);
    var first = Json.parseObject(api.get("/policies?limit=1").body()).objects("items").get(0);
    assertEquals("in-force", first.string("status"));
    assertEquals("hospital-a/claims", first.string("dataset"));
  }

  @Test
  void aPageAfterTheLastItemIsEmptyWithNoCursor() {
    Json.JObject page = Json.parseObject(api.get("/jobs?after=" + jobIds.get(4)).body());
    assertTrue(page.objects("items").isEmpty());
    assertFalse(page.has("next"));
  }

  @Test
  void theDefaultLimitIsFifty() {
    Json.JObject page = Json.parseObject(api.get("/jobs").body());
    assertEquals(5, page.objects("items").size());
    assertFalse(page.has("next"));
    assertEquals(400, api.get("/jobs?limit=501").statusCode());
  }
}

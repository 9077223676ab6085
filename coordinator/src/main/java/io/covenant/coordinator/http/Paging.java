package io.covenant.coordinator.http;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging for the list routes: {@code ?limit=N&after=CURSOR} returns {@code {"items": [...], "next": CURSOR}},
 * where {@code next} is the key of the page's last item, or {@code null} on the last page. A cursor is the key of an
 * item (a job id, a dataset version, a policy hash), so pages stay stable while new items are added after them.
 *
 * <p>Today the lists are read whole from the catalogue and cut here: fine for thousands of entries; a catalogue of
 * millions would push the cut into SQL with the same cursor.
 */
record Paging(int limit, String after) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  static Paging of(String limit, String after) {
    // An empty ?limit= is an error like any other unreadable value, not a request for the default.
    long l;
    try {
      l = QueryNumbers.wholeNumber("limit", limit, DEFAULT_LIMIT);
    } catch (MalformedInputException e) {
      throw new MalformedInputException("limit '" + limit + "' is not a whole number; ask for 1.." + MAX_LIMIT + " items a page");
    }
    if (l < 1 || l > MAX_LIMIT) {
      throw new MalformedInputException("limit " + l + " is outside 1.." + MAX_LIMIT + "; ask for at most " + MAX_LIMIT + " items a page");
    }
    return new Paging((int) l, after == null || after.isBlank() ? null : after);
  }

  /** The page of {@code all} (in its order) after the cursor, rendered by {@code render}. */
  <T> Json.JObject page(List<T> all, Function<T, String> key, Function<T, Json> render) {
    int start = 0;
    if (after != null) {
      int at = -1;
      for (int i = 0; i < all.size() && at < 0; i++) if (key.apply(all.get(i)).equals(after)) at = i;
      if (at < 0) {
        throw new MalformedInputException("cursor '" + after + "' is not an item of this list; start again without 'after'");
      }
      start = at + 1;
    }
    int end = Math.min(all.size(), start + limit);
    List<T> items = all.subList(start, end);
    String next = end < all.size() && !items.isEmpty() ? key.apply(items.get(items.size() - 1)) : null;
    return Json.obj("items", Json.arr(items.stream().map(render).toList()), "next", next);
  }
}

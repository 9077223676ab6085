package io.covenant.coordinator.client;

import java.util.List;
import java.util.Optional;

/** One page of a list route: its items and the cursor of the next page, empty on the last one. */
public record Page<T>(List<T> items, Optional<String> next) {
  public Page {
    items = List.copyOf(items);
  }
}

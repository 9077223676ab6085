package io.covenant.coordinator.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How list tables show a moment: UTC to the second, without the ISO 'T' and fraction. */
final class TableTime {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private TableTime() {}

  static String of(Instant t) {
    return FORMAT.format(t);
  }
}

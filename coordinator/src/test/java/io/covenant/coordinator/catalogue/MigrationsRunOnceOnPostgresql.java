package io.covenant.coordinator.catalogue;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators starting at once on a new PostgreSQL database apply each migration once between them (the
 * migration advisory lock); a later start applies nothing.
 */
@Tag("postgresql")
class MigrationsRunOnceOnPostgresql {
  @Test
  void twoConcurrentStartsMigrateOnceAndALaterStartIsANoOp() throws Exception {
    PostgresServer server = PostgresServer.get();
    PostgresDatabase db = server.freshDatabase();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CoordinatorStore>> opening = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      opening.add(pool.submit(() -> {
        go.await();
        return CoordinatorStore.open(db);
      }));
    }
    go.countDown();
    List<Integer> applied = new ArrayList<>();
    for (Future<CoordinatorStore> f : opening) {
      try (CoordinatorStore s = f.get()) {
        applied.addAll(s.migrationsAppliedOnOpen());
        assertEquals(5, s.schemaVersion());
      }
    }
    pool.shutdown();
    applied.sort(null);
    assertEquals(List.of(1, 2, 3, 4, 5), applied);

    try (CoordinatorStore again = CoordinatorStore.open(db)) {
      assertEquals(List.of(), again.migrationsAppliedOnOpen());
    }
    try (var c = server.connect(db); var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM schema_migrations")) {
      rs.next();
      assertEquals(5, rs.getInt(1));
    }
  }
}

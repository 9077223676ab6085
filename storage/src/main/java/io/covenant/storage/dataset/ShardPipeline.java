package io.covenant.storage.dataset;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.cipher.ShardId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs the per-shard work of a publish (seal, hash, store) on worker threads while keeping results in shard order
 * and at most {@link #WINDOW} shards in memory. The first failure stops new work; {@link #close()} waits for work
 * already started, so nothing is written to a store after the publish has returned or thrown.
 */
final class ShardPipeline implements AutoCloseable {
  static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors()) * 2;
  static final int WINDOW = WORKERS * 2;

  private final DatasetVersion version;
  private final ExecutorService pool;
  private final Semaphore window = new Semaphore(WINDOW);
  private final List<Future<ShardRef>> pending = new ArrayList<>();
  private final List<ShardId> ids = new ArrayList<>();
  private volatile boolean failed;

  ShardPipeline(DatasetVersion version) {
    this.version = version;
    this.pool = Executors.newFixedThreadPool(WORKERS, Thread.ofPlatform().daemon().name("publish-" + version + "-", 0).factory());
  }

  void submit(ShardId id, Callable<ShardRef> work) {
    if (failed) rethrowFirstFailure();
    try {
      window.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("publishing " + version + " was interrupted at " + id + "; the version was not published");
    }
    ids.add(id);
    pending.add(pool.submit(() -> {
      try {
        return work.call();
      } catch (Throwable t) {
        failed = true;
        throw t;
      } finally {
        window.release();
      }
    }));
  }

  /** The shard references in index order, once every shard is stored. */
  List<ShardRef> finish() {
    List<ShardRef> refs = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) refs.add(await(i));
    return refs;
  }

  private void rethrowFirstFailure() {
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).isDone()) await(i);
    }
    for (int i = 0; i < pending.size(); i++) await(i);
  }

  private ShardRef await(int i) {
    try {
      return pending.get(i).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("publishing " + version + " was interrupted at " + ids.get(i) + "; the version was not published");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error err) throw err;
      throw new CovenantException("publishing " + version + " failed at " + ids.get(i) + ": " + cause.getMessage()
          + "; the version was not published (no manifest was written, so nothing refers to the blocks already stored): fix the cause and publish again",
          cause);
    }
  }

  /** Stops new work and waits for work in flight, so no block is written after the publish ends. */
  @Override
  public void close() {
    for (Future<ShardRef> f : pending) f.cancel(false);
    pool.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}

package org.substra.node.orchestrator.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.substra.node.orchestrator.event.EventLog;
import org.substra.node.orchestrator.identity.Caller;

/**
 * Transaction boundaries of the rpcs (spec §6.2): writes run SERIALIZABLE and are re-run from the
 * start on a serialization failure while within the retry budget. Every write takes the event log's
 * lock before its first query, so its snapshot already holds every earlier write: writes run one
 * after the other and do not fail each other, which the reference's lock-at-the-end allows under
 * load (UNKNOWN after the retry budget). Reads run READ COMMITTED, READ ONLY (without an explicit
 * transaction, see read). The events a write emits are appended in its transaction, just before
 * commit.
 */
@ApplicationScoped
public class Transactions {

  private static final String SERIALIZATION_FAILURE = "40001";

  private final Pool pool;
  private final EventLog eventLog;
  private final Duration retryBudget;

  Transactions(Pool pool, EventLog eventLog, StorageConfig config) {
    this.pool = pool;
    this.eventLog = eventLog;
    this.retryBudget = config.retryBudget();
  }

  public <T> Uni<T> write(Caller caller, Function<Tx, Uni<T>> work) {
    long start = System.nanoTime();
    return attemptWrite(caller, work, start, 0).invoke(eventLog::committed);
  }

  /**
   * Reads see committed data only (READ COMMITTED) and never write. They run without an explicit
   * transaction: under READ COMMITTED a transaction adds nothing to what each statement sees, and
   * saves three round trips per rpc.
   */
  public <T> Uni<T> read(Caller caller, Function<Tx, Uni<T>> work) {
    return pool.withConnection(
        connection -> work.apply(new Tx(connection, caller, transactionTime())));
  }

  private <T> Uni<T> attemptWrite(
      Caller caller, Function<Tx, Uni<T>> work, long start, int attempt) {
    return pool.<T>withTransaction(
            connection -> {
              Tx tx = new Tx(connection, caller, transactionTime());
              return connection
                  .query("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                  .execute()
                  .flatMap(ignored -> eventLog.lock(connection))
                  .flatMap(ignored -> work.apply(tx))
                  .flatMap(result -> eventLog.append(tx).replaceWith(result));
            })
        .onFailure(failure -> retriable(failure, start))
        .recoverWithUni(
            () ->
                Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(backoff(attempt))
                    .flatMap(waited -> attemptWrite(caller, work, start, attempt + 1)));
  }

  /**
   * A random pause, growing with the attempts: writers that collided retry at different times
   * instead of colliding again until the budget is spent.
   */
  private static Duration backoff(int attempt) {
    long ceiling = Math.min(50_000, 500L << Math.min(attempt, 6));
    return Duration.ofNanos(1_000 * ThreadLocalRandom.current().nextLong(100, ceiling));
  }

  private boolean retriable(Throwable failure, long start) {
    return failure instanceof PgException pg
        && SERIALIZATION_FAILURE.equals(pg.getSqlState())
        && Duration.ofNanos(System.nanoTime() - start).compareTo(retryBudget) <= 0;
  }

  private static OffsetDateTime transactionTime() {
    // PostgreSQL keeps microseconds: what a client reads back must equal what it was sent.
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}

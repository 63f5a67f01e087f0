package org.substra.node.orchestrator.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import org.substra.node.orchestrator.event.EventLog;
import org.substra.node.orchestrator.identity.Caller;

/**
 * Transaction boundaries of the rpcs (spec §6.2): writes run SERIALIZABLE and are re-run from the
 * start on a serialization failure while within the retry budget; reads run READ COMMITTED, READ
 * ONLY (without an explicit transaction, see read). The events a write emits are appended in its
 * transaction, just before commit.
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
    return attemptWrite(caller, work, start).invoke(eventLog::committed);
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

  private <T> Uni<T> attemptWrite(Caller caller, Function<Tx, Uni<T>> work, long start) {
    return pool.<T>withTransaction(
            connection -> {
              Tx tx = new Tx(connection, caller, transactionTime());
              return connection
                  .query("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                  .execute()
                  .flatMap(ignored -> work.apply(tx))
                  .flatMap(result -> eventLog.append(tx).replaceWith(result));
            })
        .onFailure(failure -> retriable(failure, start))
        .recoverWithUni(() -> attemptWrite(caller, work, start));
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

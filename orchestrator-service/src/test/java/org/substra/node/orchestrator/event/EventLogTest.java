package org.substra.node.orchestrator.event;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The wake-up that streams and the publisher wait on, shared by every waiter of a replica. */
class EventLogTest {

  @Test
  void aWaiterThatGivesUpDoesNotFailTheOthers() {
    EventLog log = new EventLog();
    CompletableFuture<Void> publisher = log.nextCommit().toCompletableFuture();

    // What an idle stream does every poll interval: waits with a timeout, then gives up.
    Uni.createFrom()
        .completionStage(log.nextCommit())
        .ifNoItem()
        .after(Duration.ofMillis(10))
        .recoverWithItem((Void) null)
        .await()
        .atMost(Duration.ofSeconds(5));
    CompletableFuture<Void> laterStream = log.nextCommit().toCompletableFuture();

    assertFalse(publisher.isDone(), "the publisher's wait was cut short");
    assertFalse(laterStream.isDone(), "a later stream's wait was cut short");
    log.committed(null);
    assertTrue(publisher.isDone() && !publisher.isCompletedExceptionally());
    assertTrue(laterStream.isDone() && !laterStream.isCompletedExceptionally());
  }
}

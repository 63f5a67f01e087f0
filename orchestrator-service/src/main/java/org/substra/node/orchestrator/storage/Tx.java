package org.substra.node.orchestrator.storage;

import com.google.protobuf.Timestamp;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.Event;

/**
 * One attempt of one rpc's transaction: its connection, its caller, its transaction time (every
 * timestamp the rpc writes, spec §1.4) and the events it emits, appended to the log before commit.
 */
public final class Tx {

  private final SqlConnection connection;
  private final Caller caller;
  private final OffsetDateTime now;
  private final List<Event> events = new ArrayList<>();

  Tx(SqlConnection connection, Caller caller, OffsetDateTime now) {
    this.connection = connection;
    this.caller = caller;
    this.now = now;
  }

  public SqlConnection connection() {
    return connection;
  }

  public Caller caller() {
    return caller;
  }

  public String channel() {
    return caller.channel();
  }

  public OffsetDateTime now() {
    return now;
  }

  public Timestamp nowTimestamp() {
    return Timestamps.of(now);
  }

  /** Records an event; id, channel and timestamp are filled in here. */
  public void emit(Event.Builder event) {
    events.add(
        event
            .setId(java.util.UUID.randomUUID().toString())
            .setChannel(caller.channel())
            .setTimestamp(nowTimestamp())
            .build());
  }

  public List<Event> events() {
    return events;
  }
}

package org.substra.node.orchestrator.storage;

import com.google.protobuf.Timestamp;
import java.time.OffsetDateTime;

/** Conversions between database and protobuf times. */
public final class Timestamps {

  private Timestamps() {}

  public static Timestamp of(OffsetDateTime time) {
    return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
  }
}

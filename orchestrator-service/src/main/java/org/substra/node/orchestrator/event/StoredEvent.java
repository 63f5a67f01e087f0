package org.substra.node.orchestrator.event;

import org.substra.node.orchestrator.protocol.Event;

/** An event and its place in its channel's log. */
public record StoredEvent(long position, Event event) {}

package org.substra.node.compute.executor.local;

import java.util.BitSet;

/**
 * Numbers the tasks running at once (one per compute plan, at most {@code compute.concurrency}):
 * each slot has its own host uid, so that one task's processes never count against another's limit
 * and two tasks never share an owner.
 */
final class Slots {

  private final BitSet used = new BitSet();

  synchronized int acquire() {
    int slot = used.nextClearBit(0);
    used.set(slot);
    return slot;
  }

  synchronized void release(int slot) {
    used.clear(slot);
  }
}

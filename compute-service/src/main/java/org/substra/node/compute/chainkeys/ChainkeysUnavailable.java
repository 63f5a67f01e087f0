package org.substra.node.compute.chainkeys;

import java.io.IOException;

/**
 * A task of a plan with chainkeys cannot get them (no Secret for its tag, a malformed one, no
 * cluster to read them from): the task fails, it is not tried again.
 */
public class ChainkeysUnavailable extends IOException {

  public ChainkeysUnavailable(String message) {
    super(message);
  }
}

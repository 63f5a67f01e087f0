package org.substra.node.compute.executor;

/** The function cannot be built, through its own fault: a BUILD_ERROR with these logs. */
public class BuildFailure extends Exception {

  private final String logs;

  public BuildFailure(String message, String logs) {
    super(message);
    this.logs = logs;
  }

  public String logs() {
    return logs;
  }
}

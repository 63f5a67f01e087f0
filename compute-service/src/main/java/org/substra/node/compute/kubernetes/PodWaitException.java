package org.substra.node.compute.kubernetes;

/** A pod did not reach the awaited phase; the outcome tells the caller whether to retry. */
public class PodWaitException extends RuntimeException {

  public enum Outcome {
    /** Still not there at the deadline (scheduling, image pull): worth a retry. */
    TIMEOUT,
    /** Deleted while awaited, e.g. evicted or cancelled. */
    GONE,
    /** Ended (Failed or Succeeded) before reaching the awaited phase. */
    ENDED
  }

  private final String pod;
  private final Outcome outcome;

  public PodWaitException(String pod, Outcome outcome, String message, Throwable cause) {
    super("pod " + pod + ": " + message, cause);
    this.pod = pod;
    this.outcome = outcome;
  }

  public String pod() {
    return pod;
  }

  public Outcome outcome() {
    return outcome;
  }
}

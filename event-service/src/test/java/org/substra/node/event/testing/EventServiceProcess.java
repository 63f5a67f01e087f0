package org.substra.node.event.testing;

import java.nio.file.Path;
import java.util.Map;
import org.substra.node.testing.PackagedService;

/** The packaged event-service as a child process, that a test can kill like a crash would. */
public final class EventServiceProcess implements AutoCloseable {

  private final PackagedService service;

  private EventServiceProcess(PackagedService service) {
    this.service = service;
  }

  /** Starts the packaged application with {@code settings}, and waits until it is ready. */
  public static EventServiceProcess start(Map<String, String> settings, Path log) {
    return start(settings, log, "/q/health/ready");
  }

  /** Starts it and waits until {@code probe} answers 200. */
  public static EventServiceProcess start(Map<String, String> settings, Path log, String probe) {
    return new EventServiceProcess(PackagedService.start("event-service", settings, log, probe));
  }

  /** SIGKILL: no shutdown hook, no last acknowledgement, no last commit. */
  public void kill() throws InterruptedException {
    service.kill();
  }

  @Override
  public void close() {
    service.close();
  }
}

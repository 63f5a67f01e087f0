package org.substra.node.compute.testing;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.substra.node.orchestrator.protocol.ComputeTask;
import org.substra.node.orchestrator.protocol.ComputeTaskStatus;

/**
 * Stands for event-service's dispatch in these tests: publishes a task message once for each task
 * of the plan that reaches WAITING_FOR_EXECUTOR_SLOT in the orchestrator.
 */
public final class Dispatcher implements AutoCloseable {

  private final Thread thread;
  private final Set<String> published = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> publishedAt = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  public Dispatcher(TestNetwork network, WorkQueues queues, String plan) {
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  for (ComputeTask task : network.tasks(plan)) {
                    if (task.getStatus() == ComputeTaskStatus.STATUS_WAITING_FOR_EXECUTOR_SLOT
                        && published.add(task.getKey())) {
                      publishedAt.put(task.getKey(), Instant.now());
                      queues.task(TestNetwork.CHANNEL, task.getKey(), plan, task.getFunctionKey());
                    }
                  }
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // the next round tries again
                }
              }
            },
            "test-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** When the message of each task left, for latency measurements. */
  public Map<String, Instant> publishedAt() {
    return publishedAt;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}

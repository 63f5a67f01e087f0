package org.substra.node.compute.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The calls a task's profile makes to this node's api-service (REST spec §4.13). */
class TaskProfilerTest {

  private HttpServer api;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void api() throws Exception {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/",
        exchange -> {
          calls.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + exchange.getRequestHeaders().getFirst("Substra-Channel-Name")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop(0);
  }

  @Test
  void startsTheProfileThenSendsItsStepsAsTheOrganization() throws Exception {
    TaskProfiler profiler =
        new TaskProfiler(
            "http://127.0.0.1:" + api.getAddress().getPort() + "/",
            "MyOrg1MSP",
            Optional.of("self-secret"));
    TaskProfiler.Profile profile = profiler.start("mychannel", "task-1");
    profile.step("prepare_inputs", 12);
    profile.step("task_execution", 3400);
    profile.finish();

    String basic = "Basic TXlPcmcxTVNQOnNlbGYtc2VjcmV0";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (calls.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(calls)
        .containsExactly(
            "PUT /task_profiling/task-1/ " + basic + " mychannel {}",
            "PUT /task_profiling/task-1/step/prepare_inputs/ "
                + basic
                + " mychannel {\"duration\": 12}",
            "PUT /task_profiling/task-1/step/task_execution/ "
                + basic
                + " mychannel {\"duration\": 3400}");
  }

  @Test
  void withoutTheSelfSecretNothingIsSent() throws Exception {
    TaskProfiler profiler =
        new TaskProfiler(
            "http://127.0.0.1:" + api.getAddress().getPort(), "MyOrg1MSP", Optional.empty());
    TaskProfiler.Profile profile = profiler.start("mychannel", "task-1");
    profile.step("task_execution", 1);
    profile.finish();
    Thread.sleep(300);
    assertThat(calls).isEmpty();
  }
}

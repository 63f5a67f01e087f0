import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of api-service's task list over a filled read model (bench/api-service/run.sh): logs in
 * as the SDK does, then sends each query sequentially on one keep-alive connection and prints the
 * percentiles. Run with {@code java ApiReadsBench.java <base url> <user> <password> <plan key>}.
 */
public class ApiReadsBench {

  static final int WARM_UP = Integer.getInteger("bench.warmup", 200);
  static final int REQUESTS = Integer.getInteger("bench.requests", 500);

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String plan = args[3];
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String form =
        "username="
            + URLEncoder.encode(args[1], StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(args[2], StandardCharsets.UTF_8);
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api-token-auth/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json;version=0.0")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(login.body());
    if (login.statusCode() != 200 || !token.find()) {
      throw new IllegalStateException("login failed: " + login.statusCode() + " " + login.body());
    }
    String authorization = "Token " + token.group(1);
    String[] urls = {
      base + "/task/?page_size=100&compute_plan_key=" + plan + "&status=STATUS_DONE",
      base + "/task/?page_size=100&compute_plan_key=" + plan + "&status=STATUS_DONE&page=3",
      base + "/task/?page_size=100&compute_plan_key=" + plan,
      base + "/task/?page_size=100&status=STATUS_EXECUTING",
      base + "/task/?page_size=100",
      base + "/data_sample/?page_size=100&ordering=-creation_date"
    };
    HttpRequest[] requests = new HttpRequest[urls.length];
    String[] counts = new String[urls.length];
    for (int q = 0; q < urls.length; q++) {
      requests[q] =
          HttpRequest.newBuilder(URI.create(urls[q]))
              .header("Authorization", authorization)
              .header("Accept", "application/json;version=0.0")
              .GET()
              .build();
    }
    // Every query warmed up before any is measured (the JIT compiles the shared code paths),
    // then measured round-robin so that a burst of load elsewhere touches them all alike.
    for (int i = 0; i < WARM_UP; i++) {
      for (int q = 0; q < urls.length; q++) {
        HttpResponse<String> response =
            http.send(requests[q], HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              urls[q] + ": " + response.statusCode() + " " + response.body());
        }
        Matcher counted = Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(response.body());
        counts[q] = counted.find() ? counted.group(1) : "?";
      }
    }
    long[][] nanos = new long[urls.length][REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      for (int q = 0; q < urls.length; q++) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response =
            http.send(requests[q], HttpResponse.BodyHandlers.ofByteArray());
        nanos[q][i] = System.nanoTime() - start;
        if (response.statusCode() != 200) {
          throw new IllegalStateException(urls[q] + ": " + response.statusCode());
        }
      }
    }
    System.out.printf(
        "%d warm-up then %d requests per query, sequential, one connection%n", WARM_UP, REQUESTS);
    System.out.printf("%-72s %7s %7s %7s %7s%n", "query", "count", "p50 ms", "p95 ms", "p99 ms");
    for (int q = 0; q < urls.length; q++) {
      Arrays.sort(nanos[q]);
      String shown =
          urls[q]
              .substring(base.length())
              .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<plan>");
      System.out.printf(
          "%-72s %7s %7.2f %7.2f %7.2f%n",
          shown,
          counts[q],
          percentile(nanos[q], 50),
          percentile(nanos[q], 95),
          percentile(nanos[q], 99));
    }
  }

  static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}

package org.substra.node.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * At most {@code api.tokens.logins-per-minute} login attempts per client address in any minute
 * (REST spec §2.2): 429 with {@code Retry-After} beyond, so passwords cannot be guessed quickly.
 */
@ApplicationScoped
public class LoginThrottle {

  private static final long MINUTE = 60_000_000_000L;

  private final Map<String, ArrayDeque<Long>> attempts = new ConcurrentHashMap<>();
  private final int perMinute;

  LoginThrottle(ApiConfig config) {
    this.perMinute = config.tokens().loginsPerMinute();
  }

  public void attempt(String address) {
    long now = System.nanoTime();
    ArrayDeque<Long> recent = attempts.computeIfAbsent(address, key -> new ArrayDeque<>());
    synchronized (recent) {
      while (!recent.isEmpty() && now - recent.peekFirst() >= MINUTE) {
        recent.pollFirst();
      }
      if (recent.size() >= perMinute) {
        long wait = Math.max(1, (MINUTE - (now - recent.peekFirst())) / 1_000_000_000L);
        ApiException throttled =
            new ApiException(
                429,
                Map.of(
                    "detail", "Request was throttled. Expected available in " + wait + " seconds."),
                Map.of("Retry-After", String.valueOf(wait)));
        throw throttled;
      }
      recent.addLast(now);
    }
    if (attempts.size() > 10_000) {
      attempts.entrySet().removeIf(entry -> entry.getValue().isEmpty());
    }
  }
}

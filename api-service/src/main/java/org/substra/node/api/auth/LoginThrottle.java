package org.substra.node.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;

/**
 * At most {@code api.tokens.logins-per-minute} login attempts per client address in any minute
 * (REST spec §2.2): 429 with {@code Retry-After} beyond, so passwords cannot be guessed quickly.
 *
 * <p>Memory is bounded: an address is forgotten once a minute has passed since its last counted
 * attempt (it has nothing left to count), and at most {@code api.tokens.login-throttle-addresses}
 * are remembered. When that many addresses are within their minute, a new one displaces the oldest
 * address that is not at its limit, so an address being throttled stays throttled unless every
 * remembered address is.
 */
@ApplicationScoped
public class LoginThrottle {

  private static final long MINUTE = 60_000_000_000L;

  /** Attempts per address, ordered by each address's last counted attempt, oldest first. */
  private final LinkedHashMap<String, ArrayDeque<Long>> attempts = new LinkedHashMap<>();

  private final int perMinute;
  private final int maxAddresses;
  private final LongSupplier nanoClock;

  @Inject
  LoginThrottle(ApiConfig config) {
    this(
        config.tokens().loginsPerMinute(),
        config.tokens().loginThrottleAddresses(),
        System::nanoTime);
  }

  LoginThrottle(int perMinute, int maxAddresses, LongSupplier nanoClock) {
    this.perMinute = perMinute;
    this.maxAddresses = Math.max(1, maxAddresses);
    this.nanoClock = nanoClock;
  }

  public void attempt(String address) {
    long wait = admit(address);
    if (wait > 0) {
      throw new ApiException(
          429,
          Map.of("detail", "Request was throttled. Expected available in " + wait + " seconds."),
          Map.of("Retry-After", String.valueOf(wait)));
    }
  }

  /** Counts the attempt and answers 0, or answers the seconds to wait when it is one too many. */
  private synchronized long admit(String address) {
    long now = nanoClock.getAsLong();
    forgetPastMinutes(now);
    ArrayDeque<Long> recent = attempts.get(address);
    if (recent == null) {
      makeRoom();
      recent = new ArrayDeque<>();
      attempts.put(address, recent);
    }
    while (!recent.isEmpty() && now - recent.peekFirst() >= MINUTE) {
      recent.pollFirst();
    }
    if (recent.size() >= perMinute) {
      return Math.max(1, (MINUTE - (now - recent.peekFirst())) / 1_000_000_000L);
    }
    recent.addLast(now);
    // Moved to the end: the map stays ordered by last counted attempt.
    attempts.remove(address);
    attempts.put(address, recent);
    return 0;
  }

  /** Drops the addresses whose last counted attempt is a minute old: they are at the front. */
  private void forgetPastMinutes(long now) {
    Iterator<ArrayDeque<Long>> oldestFirst = attempts.values().iterator();
    while (oldestFirst.hasNext()) {
      ArrayDeque<Long> recent = oldestFirst.next();
      if (!recent.isEmpty() && now - recent.peekLast() < MINUTE) {
        return;
      }
      oldestFirst.remove();
    }
  }

  private void makeRoom() {
    if (attempts.size() < maxAddresses) {
      return;
    }
    Iterator<ArrayDeque<Long>> oldestFirst = attempts.values().iterator();
    while (oldestFirst.hasNext()) {
      if (oldestFirst.next().size() < perMinute) {
        oldestFirst.remove();
        return;
      }
    }
    // Every remembered address is at its limit: the bound wins, the oldest goes.
    attempts.remove(attempts.keySet().iterator().next());
  }

  /** How many addresses are remembered. */
  synchronized int rememberedAddresses() {
    return attempts.size();
  }
}

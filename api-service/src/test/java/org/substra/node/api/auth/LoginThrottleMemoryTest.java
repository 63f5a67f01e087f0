package org.substra.node.api.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.substra.node.api.error.ApiException;

/** The throttle remembers a bounded number of addresses, without letting a throttled one go. */
class LoginThrottleMemoryTest {

  private final AtomicLong clock = new AtomicLong(TimeUnit.DAYS.toNanos(1));
  private final LoginThrottle throttle = new LoginThrottle(3, 1_000, clock::get);

  @Test
  void manyDistinctAddressesStayWithinTheBound() {
    for (int i = 0; i < 50_000; i++) {
      throttle.attempt(address(i));
      clock.addAndGet(TimeUnit.MICROSECONDS.toNanos(10));
    }
    assertEquals(1_000, throttle.rememberedAddresses());
  }

  @Test
  void addressesAreForgottenOnceTheirMinuteHasPassed() {
    for (int i = 0; i < 500; i++) {
      throttle.attempt(address(i));
    }
    clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
    throttle.attempt("192.0.2.1");
    assertEquals(1, throttle.rememberedAddresses());
  }

  @Test
  void aThrottledAddressStaysThrottledWithinItsMinuteWhateverOthersDo() {
    String attacker = "198.51.100.7";
    for (int i = 0; i < 3; i++) {
      throttle.attempt(attacker);
    }
    assertThrottled(attacker);
    for (int i = 0; i < 20_000; i++) {
      throttle.attempt(address(i));
    }
    assertTrue(throttle.rememberedAddresses() <= 1_000);
    clock.addAndGet(TimeUnit.SECONDS.toNanos(59));
    ApiException throttled = assertThrottled(attacker);
    assertEquals("1", throttled.headers().get("Retry-After"));
    clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertDoesNotThrow(() -> throttle.attempt(attacker));
  }

  @Test
  void theLimitPerAddressIsUnchanged() {
    for (int i = 0; i < 3; i++) {
      throttle.attempt("203.0.113.5");
      clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
    }
    assertThrottled("203.0.113.5");
    throttle.attempt("203.0.113.6");
    // The first attempt leaves the window 60 s after it was made, freeing one more.
    clock.addAndGet(TimeUnit.SECONDS.toNanos(30));
    throttle.attempt("203.0.113.5");
    assertThrottled("203.0.113.5");
  }

  private ApiException assertThrottled(String address) {
    ApiException throttled = assertThrows(ApiException.class, () -> throttle.attempt(address));
    assertEquals(429, throttled.status());
    return throttled;
  }

  private static String address(int i) {
    return "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
  }
}

package org.substra.node.api.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;

/**
 * A request body written by one thread while the HTTP client sends it: {@link #offer} blocks while
 * {@code capacity} chunks wait, so the writer goes at the store's pace and memory stays bounded.
 * The chunks are sent as they are: a writer must not change one after offering it.
 */
final class StreamingBody implements Flow.Publisher<ByteBuffer> {

  private final int capacity;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private Flow.Subscriber<? super ByteBuffer> subscriber;
  private long demand;
  private boolean emitting;
  private boolean completed;
  private boolean cancelled;
  private Throwable failure;
  private boolean terminated;

  StreamingBody(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    synchronized (this) {
      if (this.subscriber != null) {
        // The client subscribes once per request; a retry would resend a body that is gone.
        subscriber.onSubscribe(new Refused());
        subscriber.onError(new IllegalStateException("A streamed body can be sent only once"));
        return;
      }
      this.subscriber = subscriber;
    }
    subscriber.onSubscribe(new Subscription());
    emit();
  }

  /** Queues a chunk; blocks while the queue is full; fails once the client stopped sending. */
  void offer(ByteBuffer chunk) throws IOException {
    synchronized (this) {
      while (queue.size() >= capacity && !cancelled) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while sending an upload");
        }
      }
      if (cancelled) {
        throw new Stopped();
      }
      queue.add(chunk);
    }
    emit();
  }

  /** The body ends once the queued chunks are sent. */
  void complete() {
    synchronized (this) {
      completed = true;
    }
    emit();
  }

  /** Ends the body with an error: the client drops the request, so nothing is stored. */
  void fail(Throwable cause) {
    synchronized (this) {
      failure = cause;
      queue.clear();
      notifyAll();
    }
    emit();
  }

  /** Delivers what is queued and demanded, on one thread at a time (re-entered from onNext). */
  private void emit() {
    Flow.Subscriber<? super ByteBuffer> target;
    synchronized (this) {
      if (emitting || subscriber == null || terminated) {
        return;
      }
      emitting = true;
      target = subscriber;
    }
    while (true) {
      ByteBuffer next = null;
      Throwable error = null;
      boolean complete = false;
      synchronized (this) {
        if (cancelled) {
          terminated = true;
        } else if (failure != null) {
          error = failure;
          terminated = true;
        } else if (!queue.isEmpty() && demand > 0) {
          next = queue.poll();
          demand--;
          notifyAll();
        } else if (queue.isEmpty() && completed) {
          complete = true;
          terminated = true;
        }
        if (next == null && error == null && !complete) {
          emitting = false;
          return;
        }
      }
      if (error != null) {
        target.onError(error);
        return;
      }
      if (complete) {
        target.onComplete();
        return;
      }
      target.onNext(next);
    }
  }

  private final class Subscription implements Flow.Subscription {
    @Override
    public void request(long n) {
      synchronized (StreamingBody.this) {
        if (n <= 0) {
          failure = new IllegalArgumentException("Non-positive demand " + n);
        } else {
          demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
      }
      emit();
    }

    @Override
    public void cancel() {
      synchronized (StreamingBody.this) {
        cancelled = true;
        queue.clear();
        StreamingBody.this.notifyAll();
      }
    }
  }

  /** The client stopped sending the body: the store refused or failed it, not the writer. */
  static final class Stopped extends IOException {
    Stopped() {
      super("The object storage stopped receiving the upload");
    }
  }

  private static final class Refused implements Flow.Subscription {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}

package org.substra.node.orchestrator.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.substra.node.health.rabbitmq.RabbitMqConfig;

/**
 * The outbox: publishes committed events to RabbitMQ in position order per channel, each exactly
 * once from the publisher's side. A channel's publication mark moves past a batch only after the
 * broker confirmed all of it, in the same database transaction that holds the publisher lock, so a
 * crash between the two republishes the batch (consumers skip positions they already applied) and
 * never skips an event. The advisory lock lets one replica publish at a time.
 *
 * <p>Message: exchange {@code orchestrator.events.exchange} (topic, durable), routing key =
 * channel, persistent, body = the serialized {@code orchestrator.Event}, headers {@code channel},
 * {@code position}, {@code asset_kind}, {@code event_kind}, {@code asset_key}; message id = event
 * id.
 */
@ApplicationScoped
public class EventPublisher {

  static final String CONTENT_TYPE = "application/x-protobuf; proto=orchestrator.Event";
  private static final Logger LOG = Logger.getLogger(EventPublisher.class);
  private static final long PUBLISHER_LOCK = 0x6f72636865767473L;

  private final DataSource dataSource;
  private final EventLog log;
  private final EventsConfig config;
  private final ConnectionFactory factory = new ConnectionFactory();
  private volatile boolean running;
  private Thread worker;
  private Connection connection;
  private Channel channel;
  private java.sql.Connection leader;

  EventPublisher(DataSource dataSource, EventLog log, EventsConfig config, RabbitMqConfig broker) {
    this.dataSource = dataSource;
    this.log = log;
    this.config = config;
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername(broker.username());
    factory.setPassword(broker.password());
    factory.setVirtualHost(broker.virtualHost());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
  }

  void start(@Observes StartupEvent event) {
    if (!config.publish()) {
      LOG.info("event publication to RabbitMQ is off (orchestrator.events.publish=false)");
      return;
    }
    running = true;
    worker = new Thread(this::run, "event-publisher");
    worker.setDaemon(true);
    worker.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (worker != null) {
      worker.interrupt();
      worker.join(5_000);
    }
    resign();
    closeBroker();
  }

  private void run() {
    while (running) {
      try {
        // Taken before publishing: a commit during the batch completes it, so is not missed.
        CompletionStage<Void> next = log.nextCommit();
        while (running && publishBatch() == config.publishBatchSize()) {
          next = log.nextCommit();
        }
        next.toCompletableFuture().get(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TimeoutException e) {
        // No commit here: look for the commits of other replicas.
      } catch (Exception e) {
        LOG.warnf("publishing events failed, retrying: %s", e.toString());
        closeBroker();
        sleepQuietly();
      }
    }
  }

  /** Publishes the next batch; returns how many events it published. */
  int publishBatch() throws Exception {
    java.sql.Connection db = lead();
    if (db == null) {
      return 0;
    }
    try {
      Map<String, Long> batch = new LinkedHashMap<>();
      int published = 0;
      try (PreparedStatement select =
          db.prepareStatement(
              "SELECT e.id, e.channel, e.position, e.asset_key, e.asset_kind, e.event_kind,"
                  + " e.payload FROM publication_marks m CROSS JOIN LATERAL"
                  + " (SELECT * FROM events WHERE channel = m.channel AND position > m.position"
                  + " ORDER BY position LIMIT ?) e ORDER BY e.channel, e.position LIMIT ?")) {
        select.setInt(1, config.publishBatchSize());
        select.setInt(2, config.publishBatchSize());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            publish(rows);
            batch.put(rows.getString("channel"), rows.getLong("position"));
            published++;
          }
        }
      }
      if (published > 0) {
        channel().waitForConfirmsOrDie(10_000);
        try (PreparedStatement mark =
            db.prepareStatement("UPDATE publication_marks SET position = ? WHERE channel = ?")) {
          for (Map.Entry<String, Long> channelMark : batch.entrySet()) {
            mark.setLong(1, channelMark.getValue());
            mark.setString(2, channelMark.getKey());
            mark.addBatch();
          }
          mark.executeBatch();
        }
      }
      return published;
    } catch (Exception e) {
      resign();
      throw e;
    }
  }

  /**
   * The connection holding the publisher lock, taken now if free, or null while another replica
   * publishes. The lock is the session's: it goes with the connection, so a replica that dies hands
   * over to the next one, which starts again from the marks in the database.
   */
  private java.sql.Connection lead() throws SQLException {
    if (leader != null) {
      return leader;
    }
    java.sql.Connection db = dataSource.getConnection();
    try {
      db.setAutoCommit(true);
      boolean locked;
      try (PreparedStatement lock = db.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        lock.setLong(1, PUBLISHER_LOCK);
        try (ResultSet result = lock.executeQuery()) {
          locked = result.next() && result.getBoolean(1);
        }
      }
      if (!locked) {
        db.close();
        return null;
      }
      // A mark lost in a crash only republishes its batch, which consumers skip: no need to wait
      // for the disk before publishing the next one.
      try (Statement relaxed = db.createStatement()) {
        relaxed.execute("SET synchronous_commit = off");
      }
      leader = db;
      return db;
    } catch (SQLException e) {
      db.close();
      throw e;
    }
  }

  /** Gives the publisher lock up; the next batch, here or elsewhere, starts from the marks. */
  void resign() {
    if (leader != null) {
      try (PreparedStatement unlock = leader.prepareStatement("SELECT pg_advisory_unlock_all()")) {
        unlock.execute();
      } catch (SQLException e) {
        LOG.debugf("releasing the publisher lock: %s", e.toString());
      }
      try {
        leader.close();
      } catch (SQLException e) {
        LOG.debugf("closing the publisher connection: %s", e.toString());
      }
      leader = null;
    }
  }

  private void publish(ResultSet row) throws Exception {
    String eventChannel = row.getString("channel");
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .contentType(CONTENT_TYPE)
            .deliveryMode(2)
            .messageId(row.getString("id"))
            .type("orchestrator.Event")
            .headers(
                Map.of(
                    "channel", eventChannel,
                    "position", row.getLong("position"),
                    "asset_key", row.getString("asset_key"),
                    "asset_kind", row.getString("asset_kind"),
                    "event_kind", row.getString("event_kind")))
            .build();
    channel().basicPublish(config.exchange(), eventChannel, properties, row.getBytes("payload"));
  }

  private Channel channel() throws Exception {
    if (channel == null || !channel.isOpen()) {
      closeBroker();
      connection = factory.newConnection("orchestrator-event-publisher");
      channel = connection.createChannel();
      channel.exchangeDeclare(config.exchange(), BuiltinExchangeType.TOPIC, true);
      channel.confirmSelect();
    }
    return channel;
  }

  private void closeBroker() {
    if (connection != null) {
      connection.abort(1_000);
    }
    connection = null;
    channel = null;
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(config.pollInterval().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

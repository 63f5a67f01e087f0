package org.substra.node.api.datasample;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.json.Dates;
import org.substra.node.api.orchestrator.Orchestrator;
import org.substra.node.api.registration.MultipartStream;
import org.substra.node.api.registration.RequestJson;
import org.substra.node.api.registration.Uploads;
import org.substra.node.api.registration.Visibility;
import org.substra.node.api.storage.Buckets;
import org.substra.node.api.storage.ObjectStorage;
import org.substra.node.orchestrator.protocol.NewDataSample;
import org.substra.node.orchestrator.protocol.RegisterDataSamplesParam;
import org.substra.node.orchestrator.protocol.UpdateDataSamplesParam;

/**
 * Registers data samples (REST spec §4.5), uploaded as archives or named by a folder on the server,
 * all of one request in one orchestrator call; links samples to more data managers.
 */
@ApplicationScoped
public class DataSampleRegistration {

  private final ObjectStorage storage;
  private final Orchestrator orchestrator;
  private final DataSampleLedger ledger;
  private final Visibility visibility;
  private final Uploads uploads;
  private final ApiConfig config;

  DataSampleRegistration(
      ObjectStorage storage,
      Orchestrator orchestrator,
      DataSampleLedger ledger,
      Visibility visibility,
      Uploads uploads,
      ApiConfig config) {
    this.storage = storage;
    this.orchestrator = orchestrator;
    this.ledger = ledger;
    this.visibility = visibility;
    this.uploads = uploads;
    this.config = config;
  }

  /** A sample about to be registered: where it comes from and its folder checksum. */
  private record Sample(String key, String checksum, boolean uploaded, Path serverPath) {}

  /** The json field is small; the same bound as other form fields. */
  private static final int MAX_JSON = 1024 * 1024;

  /** Threads hashing uploads while they are stored: one per upload in progress. */
  private static final ExecutorService HASHING =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "data-sample-hashing");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Samples uploaded as zip or tar archives, one per file part, in the order of the parts. Each
   * file part goes to object storage as it arrives and is hashed meanwhile: read once, never
   * written to disk. The {@code json} field is checked when it arrives, so that when it comes first
   * (as the SDK sends it) a bad request stores nothing; what was stored before a failure is
   * removed. {@code bodyLength}: the request's Content-Length, -1 when unknown.
   */
  public List<Map<String, Object>> upload(
      String channel, String contentType, long bodyLength, InputStream body) {
    MultipartStream parts =
        new MultipartStream(body, MultipartStream.boundary(contentType), bodyLength);
    List<String> managers = null;
    List<Sample> samples = new ArrayList<>();
    // A file part's length is guessed as if it were the last part, until a wrong guess cost a copy.
    boolean guessing = true;
    try {
      for (MultipartStream.Part part; (part = parts.next()) != null; ) {
        if (part.isFile()) {
          long guess = part.lengthIfLast();
          Stored stored = store(part, guessing && guess <= uploads.maxFileSize() ? guess : -1);
          samples.add(stored.sample());
          guessing = guessing && !stored.mended();
        } else if (part.name().equals("json")) {
          String json = MultipartStream.text(part, MAX_JSON);
          managers = managers(channel, RequestJson.parse(json, "the \"json\" field"));
        }
      }
      if (managers == null) {
        throw ApiException.detail(400, "Missing the \"json\" field.");
      }
      if (samples.isEmpty()) {
        throw ApiException.detail(400, "No data sample file was submitted.");
      }
    } catch (IOException e) {
      removeStored(samples);
      throw ApiException.detail(400, "The upload was interrupted: " + e.getMessage());
    } catch (RuntimeException e) {
      removeStored(samples);
      drain(body);
      throw e;
    }
    return register(channel, managers, samples);
  }

  private record Stored(Sample sample, boolean mended) {}

  /**
   * One archive stored under a new key while its checksum is computed; {@code expected}: its length
   * if known or guessed (a wrong guess costs the store a copy of the file), else -1.
   */
  private Stored store(MultipartStream.Part part, long expected) throws IOException {
    String key = UUID.randomUUID().toString();
    ArchiveDigests digests =
        new ArchiveDigests(HASHING, uploads.maxFileSize(), uploads.archiveBounds());
    boolean mended;
    try (InputStream content = digests.tee(uploads.limited(part.content(), part.name()))) {
      mended = storage.upload(Buckets.DATA_SAMPLES, key, content, expected).mended();
    } finally {
      digests.end();
    }
    try {
      return new Stored(new Sample(key, digests.checksum(), true, null), mended);
    } catch (RuntimeException refused) {
      storage.remove(Buckets.DATA_SAMPLES, key);
      throw refused;
    }
  }

  /**
   * Reads what is left of a refused request: most HTTP clients read no answer before they have sent
   * their whole body, and would report a broken connection instead of the refusal.
   */
  private static void drain(InputStream body) {
    try {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client has gone: nobody reads the answer.
    }
  }

  private void removeStored(List<Sample> samples) {
    samples.forEach(sample -> storage.remove(Buckets.DATA_SAMPLES, sample.key()));
  }

  /** Samples named by folders readable by the server ({@code path} or {@code paths}). */
  public List<Map<String, Object>> fromServer(String channel, String body) {
    RequestJson request = RequestJson.parse(body, "the request body");
    List<String> managers = managers(channel, request);
    if (request.has("path") && request.has("paths")) {
      throw ApiException.detail(400, "Give either \"path\" or \"paths\", not both.");
    }
    List<String> paths =
        request.has("path") ? List.of(request.text("path", null)) : request.strings("paths");
    if (paths.isEmpty()) {
      throw ApiException.detail(400, "missing or empty field 'path' or 'paths'");
    }
    List<Sample> samples = new ArrayList<>();
    for (String path : paths) {
      ServerFolders.Checked folder = ServerFolders.check(config.uploads().dataSampleRoot(), path);
      samples.add(
          new Sample(UUID.randomUUID().toString(), folder.checksum(), false, folder.folder()));
    }
    return register(channel, managers, samples);
  }

  /** Adds links from samples to data managers ({@code POST /data_sample/bulk_update/}). */
  public void link(String channel, List<String> managers, List<String> samples) {
    if (managers.isEmpty()) {
      throw ApiException.detail(400, "missing or empty field 'data_manager_keys'");
    }
    if (samples.isEmpty()) {
      throw ApiException.detail(400, "missing or empty field 'data_sample_keys'");
    }
    List<String> managerKeys =
        managers.stream().map(k -> RequestJson.uuid("data_manager_keys", k)).toList();
    List<String> sampleKeys =
        samples.stream().map(k -> RequestJson.uuid("data_sample_keys", k)).toList();
    orchestrator
        .linkDataSamples(
            channel,
            UpdateDataSamplesParam.newBuilder()
                .addAllKeys(sampleKeys)
                .addAllDataManagerKeys(managerKeys)
                .build())
        .await()
        .indefinitely();
    long expected = (long) managerKeys.size() * sampleKeys.size();
    visibility.await(
        () -> ledger.links(sampleKeys, managerKeys).map(links -> links >= expected ? links : null),
        "The links");
  }

  /** Registers the samples, uploaded ones already stored; nothing is left when it fails. */
  private List<Map<String, Object>> register(
      String channel, List<String> managers, List<Sample> samples) {
    RegisterDataSamplesParam.Builder batch = RegisterDataSamplesParam.newBuilder();
    List<String> stored = new ArrayList<>();
    try {
      for (Sample sample : samples) {
        if (!sample.uploaded()) {
          storage.putMarker(
              Buckets.DATA_SAMPLES,
              sample.key(),
              Map.of(Buckets.SERVER_PATH, sample.serverPath().toString()));
        }
        stored.add(sample.key());
        batch.addSamples(
            NewDataSample.newBuilder()
                .setKey(sample.key())
                .addAllDataManagerKeys(managers)
                .setChecksum(sample.checksum()));
      }
      orchestrator.registerDataSamples(channel, batch.build()).await().indefinitely();
    } catch (RuntimeException refused) {
      stored.forEach(key -> storage.remove(Buckets.DATA_SAMPLES, key));
      throw refused;
    }
    List<String> keys = samples.stream().map(Sample::key).toList();
    Map<String, OffsetDateTime> created =
        visibility.await(
            () -> ledger.created(keys).map(found -> found.size() == keys.size() ? found : null),
            "The data samples");
    List<Map<String, Object>> answer = new ArrayList<>();
    for (Sample sample : samples) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("key", sample.key());
      item.put("checksum", sample.checksum());
      item.put("path", sample.serverPath() == null ? null : sample.serverPath().toString());
      item.put("creation_date", Dates.format(created.get(sample.key())));
      item.put("data_manager_keys", managers);
      item.put("owner", config.organizationId());
      answer.add(item);
    }
    return answer;
  }

  /** The data managers to link to: given, and registered on this node (their files are here). */
  private List<String> managers(String channel, RequestJson request) {
    List<String> keys = request.strings("data_manager_keys");
    if (keys.isEmpty()) {
      throw ApiException.detail(400, "missing or empty field 'data_manager_keys'");
    }
    List<String> managers =
        keys.stream().map(key -> RequestJson.uuid("data_manager_keys", key)).distinct().toList();
    Set<String> local =
        ledger.managersOf(channel, config.organizationId(), managers).await().indefinitely();
    if (!local.containsAll(managers)) {
      throw ApiException.detail(
          400,
          "One or more datamanager keys provided do not exist in local database. Please create"
              + " them before. DataManager keys: "
              + managers.stream().filter(key -> !local.contains(key)).toList());
    }
    return managers;
  }
}

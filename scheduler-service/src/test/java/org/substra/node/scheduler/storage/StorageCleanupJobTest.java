package org.substra.node.scheduler.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.substra.node.scheduler.testing.JobRuns;
import org.substra.node.scheduler.testing.OwnerSchemas;
import org.substra.node.scheduler.testing.ReadModelRows;
import org.substra.node.testing.Dependency;
import org.substra.node.testing.WithLocalDependencies;

@QuarkusTest
@TestProfile(StorageCleanupJobTest.ShortGrace.class)
@WithLocalDependencies({Dependency.POSTGRESQL, Dependency.ORCHESTRATOR, Dependency.OBJECT_STORAGE})
class StorageCleanupJobTest {

  /** A grace period a test can wait for. */
  public static class ShortGrace implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("scheduler.storage-cleanup.orphan-grace-period", "4s");
    }
  }

  @Inject AgroalDataSource dataSource;
  @Inject Scheduler quartz;
  @Inject MinioClient minio;
  @Inject StorageCleanupConfig config;

  @Test
  void deletesOrphansPastTheGracePeriodAndDisabledModelsOnlyAndIsIdempotent() throws Exception {
    OwnerSchemas.migrate(dataSource);
    ReadModelRows readModel = new ReadModelRows(dataSource);
    StorageCleanupConfig.Buckets buckets = config.buckets();

    UUID function = UUID.randomUUID();
    UUID orphanFunction = UUID.randomUUID();
    UUID orphanDataManager = UUID.randomUUID();
    UUID sample = UUID.randomUUID();
    UUID orphanSample = UUID.randomUUID();
    UUID liveModel = UUID.randomUUID();
    UUID disabledModel = UUID.randomUUID();
    UUID orphanModel = UUID.randomUUID();
    UUID task = UUID.randomUUID();
    UUID orphanLogs = UUID.randomUUID();
    readModel.function(function);
    readModel.dataSample(sample);
    readModel.model(liveModel, false);
    readModel.model(disabledModel, true);
    readModel.computeTask(task, UUID.randomUUID(), function, "MyOrg1MSP", "STATUS_FAILED", null);

    put(buckets.function(), function + "/archive");
    put(buckets.function(), function + "/description");
    put(buckets.function(), orphanFunction + "/archive");
    String notOurLayout = "not-an-asset-" + UUID.randomUUID();
    put(buckets.function(), notOurLayout);
    put(buckets.dataManager(), orphanDataManager + "/opener");
    put(buckets.dataSample(), sample.toString());
    put(buckets.dataSample(), orphanSample.toString());
    put(buckets.model(), "models/" + liveModel + "/model");
    put(buckets.model(), "models/" + disabledModel + "/model");
    put(buckets.model(), "models/" + orphanModel + "/model");
    put(buckets.assetLogs(), task.toString());
    put(buckets.assetLogs(), orphanLogs.toString());
    Thread.sleep(4_500);
    UUID freshOrphan = UUID.randomUUID();
    put(buckets.function(), freshOrphan + "/archive");

    JobRuns runs = new JobRuns(dataSource, quartz);
    assertThat(runs.runNow(StorageCleanupJob.ID).outcome()).isEqualTo("SUCCESS");

    Set<String> expectedFunctions =
        Set.of(
            function + "/archive",
            function + "/description",
            notOurLayout,
            freshOrphan + "/archive");
    assertThat(names(buckets.function())).containsAll(expectedFunctions);
    assertThat(names(buckets.function())).doesNotContain(orphanFunction + "/archive");
    assertThat(names(buckets.dataManager())).doesNotContain(orphanDataManager + "/opener");
    assertThat(names(buckets.dataSample()))
        .contains(sample.toString())
        .doesNotContain(orphanSample.toString());
    assertThat(names(buckets.model()))
        .contains("models/" + liveModel + "/model")
        .doesNotContain("models/" + disabledModel + "/model", "models/" + orphanModel + "/model");
    assertThat(names(buckets.assetLogs()))
        .contains(task.toString())
        .doesNotContain(orphanLogs.toString());

    Set<String> before = allNames();
    assertThat(runs.runNow(StorageCleanupJob.ID).outcome()).isEqualTo("SUCCESS");
    assertThat(allNames()).isEqualTo(before);
  }

  private Set<String> allNames() throws Exception {
    StorageCleanupConfig.Buckets buckets = config.buckets();
    Set<String> all = new HashSet<>();
    for (String bucket :
        Set.of(
            buckets.function(),
            buckets.dataManager(),
            buckets.dataSample(),
            buckets.model(),
            buckets.assetLogs())) {
      names(bucket).forEach(name -> all.add(bucket + "/" + name));
    }
    return all;
  }

  private void put(String bucket, String name) throws Exception {
    if (!minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
    byte[] content = name.getBytes();
    minio.putObject(
        PutObjectArgs.builder().bucket(bucket).object(name).stream(
                new ByteArrayInputStream(content), content.length, -1)
            .build());
  }

  private Set<String> names(String bucket) throws Exception {
    Set<String> names = new HashSet<>();
    for (Result<Item> item :
        minio.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
      names.add(item.get().objectName());
    }
    return names;
  }
}

package org.substra.node.api.testing;

/**
 * INSERT statements for the read model rows the list tests need, with the columns event-service
 * fills and the values that matter to a test as arguments.
 */
public final class ReadModelRows {

  /** Empties the tables of plans, tasks and their assets (children first). */
  public static final String CLEAR =
      "DELETE FROM read_model.compute_task_output_assets; DELETE FROM read_model.performances;"
          + " DELETE FROM read_model.models; DELETE FROM read_model.compute_task_inputs;"
          + " DELETE FROM read_model.compute_task_outputs; DELETE FROM read_model.compute_tasks;"
          + " DELETE FROM read_model.compute_plans; DELETE FROM read_model.functions;"
          + " DELETE FROM read_model.data_sample_data_managers;"
          + " DELETE FROM read_model.data_samples; DELETE FROM read_model.data_managers;";

  private ReadModelRows() {}

  public static String function(String key, String channel, String name) {
    return """
        INSERT INTO read_model.functions (key, channel, name, owner, status,
          description_checksum, description_address, archive_checksum, archive_address,
          image_checksum, image_address, process_public, process_authorized_ids, download_public,
          download_authorized_ids, metadata, inputs, outputs, creation_date)
        VALUES ('%s', '%s', '%s', 'MyOrg1MSP', 'FUNCTION_STATUS_READY', 'dd', 'x', 'aa', 'y', '',
          '', true, '{MyOrg1MSP}', true, '{MyOrg1MSP}', '{}',
          '{"opener": {"kind": "ASSET_DATA_MANAGER", "multiple": false, "optional": false},
            "datasamples": {"kind": "ASSET_DATA_SAMPLE", "multiple": true, "optional": false},
            "model": {"kind": "ASSET_MODEL", "multiple": false, "optional": true}}',
          '{"model": {"kind": "ASSET_MODEL", "multiple": false},
            "performance": {"kind": "ASSET_PERFORMANCE", "multiple": false}}',
          '2024-01-01T00:00:00Z');
        """
        .formatted(key, channel, name);
  }

  public static String dataManager(String key, String channel) {
    return """
        INSERT INTO read_model.data_managers (key, channel, name, owner, description_checksum,
          description_address, opener_checksum, opener_address, process_public,
          process_authorized_ids, download_public, download_authorized_ids, logs_public,
          logs_authorized_ids, metadata, creation_date)
        VALUES ('%s', '%s', 'data', 'MyOrg1MSP', 'd', 'x', 'o', 'y', false, '{MyOrg1MSP}', false,
          '{MyOrg1MSP}', false, '{MyOrg1MSP}', '{}', '2024-01-01T00:00:00Z');
        """
        .formatted(key, channel);
  }

  public static String dataSample(String key, String channel, String owner, String created) {
    return """
        INSERT INTO read_model.data_samples (key, channel, owner, checksum, creation_date)
        VALUES ('%s', '%s', '%s', 'c', '%s');
        """
        .formatted(key, channel, owner, created);
  }

  public static String link(String sample, String manager, int position) {
    return """
        INSERT INTO read_model.data_sample_data_managers (data_sample_key, data_manager_key,
          position) VALUES ('%s', '%s', %d);
        """
        .formatted(sample, manager, position);
  }

  /** A plan with the derived columns event-service maintains (the others counters 0). */
  public static String plan(
      String key,
      String channel,
      String name,
      String tag,
      String metadata,
      String created,
      String status,
      String start,
      String end,
      int tasks,
      int done) {
    return """
        INSERT INTO read_model.compute_plans (key, channel, owner, name, tag, metadata,
          creation_date, creator, status, start_date, end_date, task_count, done_count,
          executing_count)
        VALUES ('%s', '%s', 'MyOrg1MSP', '%s', '%s', '%s', '%s', NULL, '%s', %s, %s, %d, %d, %d);
        """
        .formatted(
            key,
            channel,
            name,
            tag,
            metadata,
            created,
            status,
            literal(start),
            literal(end),
            tasks,
            done,
            tasks - done);
  }

  /** A task; {@code start}, {@code end}, {@code errorType} may be null. */
  public static String task(
      String key,
      String channel,
      String plan,
      String function,
      String worker,
      int rank,
      String status,
      String tag,
      String metadata,
      String created,
      String start,
      String end,
      String errorType) {
    return """
        INSERT INTO read_model.compute_tasks (key, channel, compute_plan_key, function_key, owner,
          worker, rank, status, tag, metadata, logs_public, logs_authorized_ids, creation_date,
          start_date, end_date, error_type)
        VALUES ('%s', '%s', '%s', '%s', 'MyOrg1MSP', '%s', %d, '%s', '%s', '%s', false,
          '{MyOrg1MSP}', '%s', %s, %s, %s);
        """
        .formatted(
            key,
            channel,
            plan,
            function,
            worker,
            rank,
            status,
            tag,
            metadata,
            created,
            literal(start),
            literal(end),
            literal(errorType));
  }

  public static String assetInput(String task, int position, String identifier, String asset) {
    return """
        INSERT INTO read_model.compute_task_inputs (compute_task_key, position, identifier,
          asset_key) VALUES ('%s', %d, '%s', '%s');
        """
        .formatted(task, position, identifier, asset);
  }

  public static String parentInput(
      String task, int position, String identifier, String parent, String output) {
    return """
        INSERT INTO read_model.compute_task_inputs (compute_task_key, position, identifier,
          parent_task_key, parent_task_output_identifier) VALUES ('%s', %d, '%s', '%s', '%s');
        """
        .formatted(task, position, identifier, parent, output);
  }

  public static String output(
      String task, String identifier, boolean open, boolean transientOutput) {
    return """
        INSERT INTO read_model.compute_task_outputs (compute_task_key, identifier, process_public,
          process_authorized_ids, download_public, download_authorized_ids, transient)
        VALUES ('%s', '%s', %s, '{MyOrg1MSP,MyOrg2MSP}', %s, '{MyOrg1MSP,MyOrg2MSP}', %s);
        """
        .formatted(task, identifier, open, open, transientOutput);
  }

  /**
   * A model registered on {@code task}'s output {@code identifier}; {@code address} may be null.
   */
  public static String model(
      String key, String channel, String task, String identifier, String address, String created) {
    return """
        INSERT INTO read_model.models (key, channel, compute_task_key,
          compute_task_output_identifier, owner, address_checksum, address, process_public,
          process_authorized_ids, download_public, download_authorized_ids, creation_date)
        VALUES ('%s', '%s', '%s', '%s', 'MyOrg1MSP', %s, %s, false, '{MyOrg1MSP}', false,
          '{MyOrg1MSP}', '%s');
        INSERT INTO read_model.compute_task_output_assets (compute_task_key, identifier,
          asset_kind, asset_key, position) VALUES ('%s', '%s', 'ASSET_MODEL', '%s', 1);
        """
        .formatted(
            key,
            channel,
            task,
            identifier,
            address == null ? "NULL" : "'cafe'",
            literal(address),
            created,
            task,
            identifier,
            key);
  }

  public static String performance(String task, String identifier, String channel, double value) {
    return """
        INSERT INTO read_model.performances (compute_task_key, compute_task_output_identifier,
          channel, performance_value, creation_date)
        VALUES ('%s', '%s', '%s', %s, '2024-03-01T12:00:00Z');
        INSERT INTO read_model.compute_task_output_assets (compute_task_key, identifier,
          asset_kind, asset_key, position) VALUES ('%s', '%s', 'ASSET_PERFORMANCE', '%s|%s', 2);
        """
        .formatted(task, identifier, channel, value, task, identifier, task, identifier);
  }

  private static String literal(String value) {
    return value == null ? "NULL" : "'" + value + "'";
  }
}

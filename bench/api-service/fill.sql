-- The read model of a busy node for bench/api-service/run.sh: 100 plans of 1 000 tasks (100 000),
-- 10 data managers with 10 000 samples, every task with an opener, a sample and (above rank 0) its
-- parent's model as inputs, one output; statuses spread as in running plans.
SET search_path = read_model;

INSERT INTO functions (key, channel, name, owner, status, description_checksum,
  description_address, archive_checksum, archive_address, image_checksum, image_address,
  process_public, process_authorized_ids, download_public, download_authorized_ids, metadata,
  inputs, outputs, creation_date)
SELECT md5('function' || f)::uuid, 'mychannel', 'function ' || f, 'MyOrg1MSP',
  'FUNCTION_STATUS_READY', 'd', 'x', 'a', 'y', '', '', true, '{MyOrg1MSP}', true, '{MyOrg1MSP}',
  '{}', '{"opener": {"kind": "ASSET_DATA_MANAGER", "multiple": false, "optional": false},
         "datasamples": {"kind": "ASSET_DATA_SAMPLE", "multiple": true, "optional": false},
         "model": {"kind": "ASSET_MODEL", "multiple": false, "optional": true}}',
  '{"model": {"kind": "ASSET_MODEL", "multiple": false}}', now() - interval '30 days'
FROM generate_series(0, 9) f;

INSERT INTO data_managers (key, channel, name, owner, description_checksum, description_address,
  opener_checksum, opener_address, process_public, process_authorized_ids, download_public,
  download_authorized_ids, logs_public, logs_authorized_ids, metadata, creation_date)
SELECT md5('manager' || m)::uuid, 'mychannel', 'data ' || m, 'MyOrg1MSP', 'd', 'x', 'o', 'y',
  false, '{MyOrg1MSP}', false, '{MyOrg1MSP}', false, '{MyOrg1MSP}', '{}',
  now() - interval '30 days'
FROM generate_series(0, 9) m;

INSERT INTO data_samples (key, channel, owner, checksum, creation_date)
SELECT md5('sample' || s)::uuid, 'mychannel', 'MyOrg1MSP', 'c',
  now() - interval '29 days' + s * interval '1 second'
FROM generate_series(0, 9999) s;

INSERT INTO data_sample_data_managers (data_sample_key, data_manager_key, position)
SELECT md5('sample' || s)::uuid, md5('manager' || (s % 10))::uuid, 0
FROM generate_series(0, 9999) s;

INSERT INTO compute_plans (key, channel, owner, name, tag, metadata, creation_date, status,
  start_date, task_count, done_count, executing_count, waiting_executor_slot_count,
  waiting_parent_tasks_count)
SELECT md5('plan' || p)::uuid, 'mychannel', 'MyOrg1MSP', 'plan ' || p, '', '{}',
  now() - interval '20 days' + p * interval '1 hour', 'PLAN_STATUS_DOING',
  now() - interval '20 days' + p * interval '1 hour', 1000, 600, 100, 100, 200
FROM generate_series(0, 99) p;

-- Task t of plan p: rank t / 10; the first 60 ranks done, then one executing, one waiting for an
-- executor slot, the rest waiting for their parents.
INSERT INTO compute_tasks (key, channel, compute_plan_key, function_key, owner, worker, rank,
  status, tag, metadata, logs_public, logs_authorized_ids, creation_date, start_date, end_date)
SELECT md5('task' || p || '-' || t)::uuid, 'mychannel', md5('plan' || p)::uuid,
  md5('function' || (t % 10))::uuid, 'MyOrg1MSP', 'MyOrg' || (1 + t % 2) || 'MSP', t / 10,
  CASE WHEN t < 600 THEN 'STATUS_DONE' WHEN t < 700 THEN 'STATUS_EXECUTING'
       WHEN t < 800 THEN 'STATUS_WAITING_FOR_EXECUTOR_SLOT'
       ELSE 'STATUS_WAITING_FOR_PARENT_TASKS' END,
  '', jsonb_build_object('round_idx', (t / 10)::text), false, '{MyOrg1MSP}',
  now() - interval '20 days' + p * interval '1 hour' + t * interval '1 millisecond',
  CASE WHEN t < 700 THEN now() - interval '19 days' + t * interval '1 second' END,
  CASE WHEN t < 600 THEN now() - interval '19 days' + (t + 30) * interval '1 second' END
FROM generate_series(0, 99) p, generate_series(0, 999) t;

INSERT INTO compute_task_inputs (compute_task_key, position, identifier, asset_key)
SELECT md5('task' || p || '-' || t)::uuid, 0, 'opener', md5('manager' || (t % 10))::uuid
FROM generate_series(0, 99) p, generate_series(0, 999) t;
INSERT INTO compute_task_inputs (compute_task_key, position, identifier, asset_key)
SELECT md5('task' || p || '-' || t)::uuid, 1, 'datasamples',
  md5('sample' || ((p * 1000 + t) % 10000))::uuid
FROM generate_series(0, 99) p, generate_series(0, 999) t;
INSERT INTO compute_task_inputs (compute_task_key, position, identifier, parent_task_key,
  parent_task_output_identifier)
SELECT md5('task' || p || '-' || t)::uuid, 2, 'model', md5('task' || p || '-' || (t - 10))::uuid,
  'model'
FROM generate_series(0, 99) p, generate_series(10, 999) t;

INSERT INTO compute_task_outputs (compute_task_key, identifier, process_public,
  process_authorized_ids, download_public, download_authorized_ids, transient)
SELECT md5('task' || p || '-' || t)::uuid, 'model', false, '{MyOrg1MSP,MyOrg2MSP}', false,
  '{MyOrg1MSP,MyOrg2MSP}', false
FROM generate_series(0, 99) p, generate_series(0, 999) t;

-- As after a long run of the projection: statistics and visibility maps up to date.
VACUUM ANALYZE functions, data_managers, data_samples, data_sample_data_managers, compute_plans,
  compute_tasks, compute_task_inputs, compute_task_outputs;

-- The node's read model: what api-service lists and gets, projected from the orchestrator's events by
-- event-service (its single writer). Enum values keep the orchestrator's names (STATUS_DONE,
-- FUNCTION_STATUS_READY, ASSET_MODEL...) except the fields the REST API derives itself
-- (compute_plans.status: PLAN_STATUS_*, compute_tasks.error_type: BUILD_ERROR...). Every timestamp is
-- the orchestrator's (transaction time, microseconds). README.md documents the queries it serves.

-- Consumption progress: the last event applied per channel, written in the projection's transaction.
CREATE TABLE channel_progress (
    channel         text PRIMARY KEY,
    position        bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_timestamp timestamptz NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT now()
);

-- Events that could not be projected (a bug or an unexpected shape): skipped, never silently.
CREATE TABLE skipped_events (
    channel    text        NOT NULL,
    position   bigint      NOT NULL,
    event_id   uuid        NOT NULL,
    asset_kind text        NOT NULL,
    event_kind text        NOT NULL,
    asset_key  text        NOT NULL,
    reason     text        NOT NULL,
    skipped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, position)
);

CREATE TABLE organizations (
    channel       text        NOT NULL,
    id            text        NOT NULL,
    address       text        NOT NULL,
    creation_date timestamptz NOT NULL,
    PRIMARY KEY (channel, id)
);

CREATE TABLE functions (
    key                     uuid PRIMARY KEY,
    channel                 text        NOT NULL,
    name                    text        NOT NULL,
    owner                   text        NOT NULL,
    status                  text        NOT NULL,
    description_checksum    text        NOT NULL,
    description_address     text        NOT NULL,
    archive_checksum        text        NOT NULL,
    archive_address         text        NOT NULL,
    image_checksum          text        NOT NULL,
    image_address           text        NOT NULL,
    process_public          boolean     NOT NULL,
    process_authorized_ids  text[]      NOT NULL,
    download_public         boolean     NOT NULL,
    download_authorized_ids text[]      NOT NULL,
    metadata                jsonb       NOT NULL,
    inputs                  jsonb       NOT NULL,
    outputs                 jsonb       NOT NULL,
    creation_date           timestamptz NOT NULL
);
CREATE INDEX functions_by_creation ON functions (channel, creation_date, key);
CREATE INDEX functions_by_name ON functions (channel, name);
CREATE INDEX functions_by_owner ON functions (channel, owner);
CREATE INDEX functions_by_process_ids ON functions USING gin (process_authorized_ids);

CREATE TABLE function_profiling_steps (
    function_key uuid   NOT NULL,
    step         text   NOT NULL,
    channel      text   NOT NULL,
    duration     bigint NOT NULL, -- microseconds
    PRIMARY KEY (function_key, step)
);

CREATE TABLE data_managers (
    key                     uuid PRIMARY KEY,
    channel                 text        NOT NULL,
    name                    text        NOT NULL,
    owner                   text        NOT NULL,
    description_checksum    text        NOT NULL,
    description_address     text        NOT NULL,
    opener_checksum         text        NOT NULL,
    opener_address          text        NOT NULL,
    process_public          boolean     NOT NULL,
    process_authorized_ids  text[]      NOT NULL,
    download_public         boolean     NOT NULL,
    download_authorized_ids text[]      NOT NULL,
    logs_public             boolean     NOT NULL,
    logs_authorized_ids     text[]      NOT NULL,
    metadata                jsonb       NOT NULL,
    creation_date           timestamptz NOT NULL
);
CREATE INDEX data_managers_by_creation ON data_managers (channel, creation_date, key);
CREATE INDEX data_managers_by_name ON data_managers (channel, name);
CREATE INDEX data_managers_by_owner ON data_managers (channel, owner);

CREATE TABLE data_samples (
    key           uuid PRIMARY KEY,
    channel       text        NOT NULL,
    owner         text        NOT NULL,
    checksum      text        NOT NULL,
    creation_date timestamptz NOT NULL
);
CREATE INDEX data_samples_by_creation ON data_samples (channel, creation_date, key);
CREATE INDEX data_samples_by_owner ON data_samples (channel, owner);

-- Links in the order the orchestrator lists them (data_manager_keys).
CREATE TABLE data_sample_data_managers (
    data_sample_key  uuid NOT NULL REFERENCES data_samples (key),
    data_manager_key uuid NOT NULL,
    position         int  NOT NULL,
    PRIMARY KEY (data_sample_key, data_manager_key)
);
CREATE INDEX data_sample_data_managers_by_manager ON data_sample_data_managers (data_manager_key);

CREATE TABLE compute_plans (
    key                         uuid PRIMARY KEY,
    channel                     text        NOT NULL,
    owner                       text        NOT NULL,
    name                        text        NOT NULL,
    tag                         text        NOT NULL,
    metadata                    jsonb       NOT NULL,
    creation_date               timestamptz NOT NULL,
    cancelation_date            timestamptz,
    failure_date                timestamptz,
    -- 'external' for plans of other organizations; NULL for this organization's (api-service knows
    -- the username that created them).
    creator                     text,
    -- Derived (rest-api-spec §7.3), maintained at every task and plan event.
    status                      text        NOT NULL,
    start_date                  timestamptz,
    end_date                    timestamptz,
    failed_task_key             uuid,
    last_task_end_date          timestamptz,
    task_count                  int         NOT NULL DEFAULT 0,
    waiting_builder_slot_count  int         NOT NULL DEFAULT 0,
    building_count              int         NOT NULL DEFAULT 0,
    waiting_parent_tasks_count  int         NOT NULL DEFAULT 0,
    waiting_executor_slot_count int         NOT NULL DEFAULT 0,
    executing_count             int         NOT NULL DEFAULT 0,
    done_count                  int         NOT NULL DEFAULT 0,
    canceled_count              int         NOT NULL DEFAULT 0,
    failed_count                int         NOT NULL DEFAULT 0
);
CREATE INDEX compute_plans_by_creation ON compute_plans (channel, creation_date, key);
CREATE INDEX compute_plans_by_status ON compute_plans (channel, status);
CREATE INDEX compute_plans_by_start ON compute_plans (channel, start_date);
CREATE INDEX compute_plans_by_end ON compute_plans (channel, end_date);
CREATE INDEX compute_plans_by_owner ON compute_plans (channel, owner);
CREATE INDEX compute_plans_by_name ON compute_plans (channel, name);
CREATE INDEX compute_plans_by_tag ON compute_plans (channel, tag);
CREATE INDEX compute_plans_by_metadata ON compute_plans USING gin (metadata jsonb_path_ops);

CREATE TABLE compute_tasks (
    key                   uuid PRIMARY KEY,
    channel               text        NOT NULL,
    compute_plan_key      uuid        NOT NULL,
    function_key          uuid        NOT NULL,
    owner                 text        NOT NULL,
    worker                text        NOT NULL,
    rank                  int         NOT NULL,
    status                text        NOT NULL,
    tag                   text        NOT NULL, -- metadata "__tag__", removed from metadata
    metadata              jsonb       NOT NULL,
    logs_public           boolean     NOT NULL,
    logs_authorized_ids   text[]      NOT NULL,
    creation_date         timestamptz NOT NULL,
    start_date            timestamptz, -- first transition to STATUS_EXECUTING
    end_date              timestamptz, -- first transition to DONE, CANCELED or FAILED
    error_type            text,        -- BUILD_ERROR, EXECUTION_ERROR, INTERNAL_ERROR: set with FAILED
    failure_logs_checksum text,
    failure_logs_address  text,
    failure_report_owner  text
);
CREATE INDEX compute_tasks_by_creation ON compute_tasks (channel, creation_date, key);
CREATE INDEX compute_tasks_by_plan ON compute_tasks (compute_plan_key, status);
CREATE INDEX compute_tasks_by_plan_rank ON compute_tasks (compute_plan_key, rank, worker);
CREATE INDEX compute_tasks_by_function ON compute_tasks (function_key, status);
CREATE INDEX compute_tasks_by_worker ON compute_tasks (channel, worker);
CREATE INDEX compute_tasks_by_status ON compute_tasks (channel, status);
CREATE INDEX compute_tasks_by_start ON compute_tasks (channel, start_date);
CREATE INDEX compute_tasks_by_end ON compute_tasks (channel, end_date);
CREATE INDEX compute_tasks_by_metadata ON compute_tasks USING gin (metadata jsonb_path_ops);

-- Inputs in submission order; exactly one of asset_key or the parent pair is set.
CREATE TABLE compute_task_inputs (
    compute_task_key              uuid NOT NULL REFERENCES compute_tasks (key),
    position                      int  NOT NULL,
    identifier                    text NOT NULL,
    asset_key                     uuid,
    parent_task_key               uuid,
    parent_task_output_identifier text,
    PRIMARY KEY (compute_task_key, position)
);
CREATE INDEX compute_task_inputs_by_parent ON compute_task_inputs (parent_task_key, parent_task_output_identifier);
CREATE INDEX compute_task_inputs_by_asset ON compute_task_inputs (asset_key);

CREATE TABLE compute_task_outputs (
    compute_task_key        uuid    NOT NULL REFERENCES compute_tasks (key),
    identifier              text    NOT NULL,
    process_public          boolean NOT NULL,
    process_authorized_ids  text[]  NOT NULL,
    download_public         boolean NOT NULL,
    download_authorized_ids text[]  NOT NULL,
    transient               boolean NOT NULL,
    PRIMARY KEY (compute_task_key, identifier)
);

-- Assets registered on task outputs (COMPUTE_TASK_OUTPUT_ASSET events), in registration order.
CREATE TABLE compute_task_output_assets (
    compute_task_key uuid   NOT NULL,
    identifier       text   NOT NULL,
    asset_kind       text   NOT NULL, -- ASSET_MODEL or ASSET_PERFORMANCE
    asset_key        text   NOT NULL, -- model key, or "<task key>|<identifier>" for a performance
    position         bigint NOT NULL, -- event position in the channel: registration order
    PRIMARY KEY (compute_task_key, identifier, asset_key)
);
CREATE INDEX compute_task_output_assets_by_asset ON compute_task_output_assets (asset_key);

CREATE TABLE models (
    key                            uuid PRIMARY KEY,
    channel                        text        NOT NULL,
    compute_task_key               uuid        NOT NULL,
    compute_task_output_identifier text,                 -- from the output-asset event
    owner                          text        NOT NULL,
    address_checksum               text,                 -- NULL once disabled
    address                        text,                 -- NULL once disabled
    process_public                 boolean     NOT NULL,
    process_authorized_ids         text[]      NOT NULL,
    download_public                boolean     NOT NULL,
    download_authorized_ids        text[]      NOT NULL,
    creation_date                  timestamptz NOT NULL
);
CREATE INDEX models_by_creation ON models (channel, creation_date, key);
CREATE INDEX models_by_task ON models (compute_task_key);
CREATE INDEX models_by_owner ON models (channel, owner);

CREATE TABLE performances (
    compute_task_key               uuid             NOT NULL,
    compute_task_output_identifier text             NOT NULL,
    channel                        text             NOT NULL,
    performance_value              double precision NOT NULL,
    creation_date                  timestamptz      NOT NULL,
    PRIMARY KEY (compute_task_key, compute_task_output_identifier)
);
CREATE INDEX performances_by_channel ON performances (channel, creation_date);

CREATE TABLE failure_reports (
    asset_key     uuid PRIMARY KEY, -- the failed task or function
    channel       text        NOT NULL,
    asset_type    text        NOT NULL, -- FAILED_ASSET_COMPUTE_TASK or FAILED_ASSET_FUNCTION
    error_type    text        NOT NULL, -- ERROR_TYPE_BUILD, ERROR_TYPE_EXECUTION, ERROR_TYPE_INTERNAL
    logs_checksum text,
    logs_address  text,
    owner         text        NOT NULL,
    creation_date timestamptz NOT NULL
);

-- Transactional outbox of work messages for compute-service: recorded in the projection's
-- transaction, published after commit (WorkPublisher), marked once the broker confirmed.
CREATE TABLE work_outbox (
    id           text PRIMARY KEY, -- also the AMQP message id: build:<fn>, task:<task>, cancel:<plan>
    seq          bigserial   NOT NULL UNIQUE,
    kind         text        NOT NULL, -- build, task, cancel
    routing_key  text        NOT NULL,
    body         text        NOT NULL, -- JSON
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX work_outbox_unpublished ON work_outbox (seq) WHERE published_at IS NULL;

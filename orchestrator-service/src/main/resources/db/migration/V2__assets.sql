-- Assets (spec §3, §6.1). Each row keeps the asset's protobuf snapshot in payload (what Get/Query
-- answer and events carry) next to the columns the rpcs filter, join and order on. Keys are global
-- primary keys while lookups are scoped to a channel, as in the reference: a key reused in another
-- channel passes the existence check and then fails on the primary key (UNKNOWN).

create table functions (
    key           uuid         primary key,
    channel       varchar(100) not null,
    owner         varchar(100) not null,
    status        varchar(32)  not null,
    creation_date timestamptz  not null,
    payload       bytea        not null
);
create index functions_by_channel on functions (channel, creation_date, key);

create table datamanagers (
    key           uuid         primary key,
    channel       varchar(100) not null,
    owner         varchar(100) not null,
    creation_date timestamptz  not null,
    payload       bytea        not null
);
create index datamanagers_by_channel on datamanagers (channel, creation_date, key);

-- seq keeps registration order among samples of one batch (same creation_date) for GetDataset.
create table datasamples (
    key           uuid         primary key,
    seq           bigint       generated always as identity,
    channel       varchar(100) not null,
    owner         varchar(100) not null,
    creation_date timestamptz  not null,
    payload       bytea        not null
);
create index datasamples_by_channel on datasamples (channel, creation_date, key);

-- Which data managers a sample is linked to; GetDataset lists a manager's samples from here.
create table datasample_datamanagers (
    datamanager_key uuid not null,
    datasample_key  uuid not null references datasamples (key),
    primary key (datamanager_key, datasample_key)
);
create index datasample_datamanagers_by_sample on datasample_datamanagers (datasample_key);

create table compute_plans (
    key           uuid         primary key,
    channel       varchar(100) not null,
    owner         varchar(100) not null,
    creation_date timestamptz  not null,
    terminated    boolean      not null default false,
    payload       bytea        not null
);
create index compute_plans_by_channel on compute_plans (channel, creation_date, key);
create index compute_plans_by_owner on compute_plans (channel, owner, creation_date, key);

create table compute_tasks (
    key              uuid         primary key,
    channel          varchar(100) not null,
    compute_plan_key uuid         not null references compute_plans (key),
    function_key     uuid         not null references functions (key),
    owner            varchar(100) not null,
    worker           varchar(100) not null,
    status           varchar(40)  not null,
    rank             integer      not null,
    creation_date    timestamptz  not null,
    payload          bytea        not null
);
create index compute_tasks_by_channel on compute_tasks (channel, creation_date, key);
-- QueryTasks pages a plan's tasks, by status or not, in creation order: the page's keys come from
-- an index-only scan (the offset skips index entries, not rows), then only the page's rows are read.
create index compute_tasks_by_plan on compute_tasks (compute_plan_key, channel, creation_date, key);
create index compute_tasks_by_plan_status
    on compute_tasks (compute_plan_key, channel, status, creation_date, key);
create index compute_tasks_by_function on compute_tasks (function_key, status);
create index compute_tasks_by_worker on compute_tasks (channel, worker, status);

-- position: 1-based index of the parent in the child's parent list (order of first appearance).
create table compute_task_parents (
    child_key  uuid    not null references compute_tasks (key),
    parent_key uuid    not null references compute_tasks (key),
    position   integer not null,
    primary key (child_key, position)
);
create index compute_task_parents_by_parent on compute_task_parents (parent_key, child_key);

-- Assets registered on a task output; position counts from 0 per output, in registration order.
create table compute_task_output_assets (
    compute_task_key uuid         not null references compute_tasks (key),
    identifier       varchar(100) not null,
    position         integer      not null,
    asset_kind       varchar(64)  not null,
    asset_key        varchar(200) not null unique,
    primary key (compute_task_key, identifier, position)
);

create table models (
    key              uuid         primary key,
    channel          varchar(100) not null,
    compute_task_key uuid         not null references compute_tasks (key),
    identifier       varchar(100) not null,
    creation_date    timestamptz  not null,
    payload          bytea        not null
);
create index models_by_task on models (compute_task_key, creation_date, key);

create table performances (
    compute_task_key uuid         not null references compute_tasks (key),
    identifier       varchar(100) not null,
    channel          varchar(100) not null,
    creation_date    timestamptz  not null,
    payload          bytea        not null,
    primary key (compute_task_key, identifier)
);
create index performances_by_channel on performances (channel, creation_date, compute_task_key);

create table failure_reports (
    asset_key     uuid         primary key,
    channel       varchar(100) not null,
    creation_date timestamptz  not null,
    payload       bytea        not null
);

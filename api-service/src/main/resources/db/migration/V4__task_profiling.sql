-- Task profiling (REST spec §4.13): this node's workers record how long each step of a task took.
create table task_profiling (
    compute_task_key uuid         primary key,
    channel          varchar(100) not null,
    created_at       timestamptz  not null default now()
);
create index task_profiling_by_channel on task_profiling (channel, created_at);

create table task_profiling_steps (
    compute_task_key uuid         not null references task_profiling (compute_task_key) on delete cascade,
    step             varchar(100) not null,
    duration         bigint       not null, -- microseconds
    recorded_at      timestamptz  not null default clock_timestamp(),
    primary key (compute_task_key, step)
);

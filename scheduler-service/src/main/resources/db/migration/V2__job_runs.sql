-- One row per run of a periodic job, whichever replica ran it: the last run, its duration and outcome
-- outlive the process (metrics reset at restart), and the firings are auditable across replicas.
CREATE TABLE job_runs (
    id                  bigserial PRIMARY KEY,
    job                 text        NOT NULL,
    instance            text        NOT NULL, -- Quartz instance id of the replica that ran it
    scheduled_fire_time timestamptz,          -- the firing this run answers (NULL when run by hand)
    started_at          timestamptz NOT NULL,
    duration_ms         bigint      NOT NULL,
    outcome             text        NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
    summary             text        NOT NULL
);
CREATE INDEX job_runs_by_job ON job_runs (job, started_at DESC);

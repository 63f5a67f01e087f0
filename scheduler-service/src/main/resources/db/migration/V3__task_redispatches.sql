-- Re-dispatches of tasks that waited too long for an executor slot (StuckWorkJob): how many, and
-- when the last one went out, so a task is dispatched again at most once per dispatch timeout and
-- failed after the configured number of attempts.
CREATE TABLE task_redispatches (
    task_key uuid        PRIMARY KEY,
    attempts int         NOT NULL,
    last_at  timestamptz NOT NULL
);

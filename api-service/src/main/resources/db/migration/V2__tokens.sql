-- A user works in exactly one channel (REST spec §1.7); a user without channel can log in but not
-- reach assets.
alter table users add column channel varchar(100);

-- Tokens of the "Authorization: Token <key>" header (REST spec §2): implicit ones from
-- POST /api-token-auth/ (lifetime from configuration), API ones from POST /api-token/.
create table tokens (
    id         uuid         primary key,
    key        char(40)     not null unique,
    user_id    bigint       not null references users (id) on delete cascade,
    kind       varchar(16)  not null check (kind in ('IMPLICIT', 'API')),
    note       varchar(100),
    created_at timestamptz  not null,
    expires_at timestamptz
);
create index tokens_by_user on tokens (user_id, kind, created_at);

-- Refresh tokens of the web frontend's JWT login (REST spec §2.6) that may no longer be used: rotated
-- by POST /me/refresh/ or ended by GET /me/logout/. Rows past expires_at are useless (the token is
-- expired anyway) and get purged.
create table jwt_blacklist (
    jti            varchar(64) primary key,
    user_id        bigint      not null references users (id) on delete cascade,
    expires_at     timestamptz not null,
    blacklisted_at timestamptz not null default now()
);
create index jwt_blacklist_by_expiry on jwt_blacklist (expires_at);

-- The outstanding password reset of a user (REST spec §2.9): at most one, single-use, expiring. Only
-- a SHA-256 of the token is kept, so the table does not hand out working tokens.
create table password_resets (
    user_id    bigint      primary key references users (id) on delete cascade,
    token_hash char(64)    not null,
    expires_at timestamptz not null,
    created_at timestamptz not null default now()
);

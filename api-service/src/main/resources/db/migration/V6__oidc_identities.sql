-- Users created by an OIDC login (REST spec §2.7) are "external": they have no usable password.
alter table users add column is_external_user boolean not null default false;

-- Who an OIDC user is at the provider: the (issuer, subject) pair stays the same when the email
-- changes, so a person keeps their user. last_login_at starts the login validity window; the
-- provider's refresh token (only when api.oidc.users.use-refresh-token) extends it.
create table oidc_identities (
    user_id       bigint       primary key references users (id) on delete cascade,
    issuer        varchar(255) not null,
    subject       varchar(255) not null,
    email         varchar(254) not null,
    last_login_at timestamptz  not null,
    refresh_token text,
    unique (issuer, subject)
);

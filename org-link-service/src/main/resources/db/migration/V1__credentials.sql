-- Organization credentials (worker-spec §6.1). org-link-service owns this schema; api-service only
-- reads it (to verify incoming Basic auth and to call peers).

-- Other organizations that may call this node. The secret is a PBKDF2-SHA256 hash in Django's format
-- (pbkdf2_sha256$<iterations>$<salt>$<base64>), never the secret itself. channel, when set, is the
-- only channel that organization may read from (null: any channel of this node).
create table incoming_organizations (
    organization_id varchar(1024) primary key,
    secret_hash     varchar(256)  not null,
    channel         varchar(100),
    updated_at      timestamptz   not null default now()
);

-- Organizations this node calls. The secret is kept usable because it must be sent (Basic auth).
-- address, when set, overrides the address the orchestrator's organization record gives.
create table outgoing_organizations (
    organization_id varchar(1024) primary key,
    secret          varchar(1024) not null,
    address         varchar(1024),
    updated_at      timestamptz   not null default now()
);

-- Users the account operator created in api.users, so that a sync only removes users it manages
-- (never the first user api-service bootstraps, nor users created by other means).
create table managed_users (
    username varchar(150) primary key
);

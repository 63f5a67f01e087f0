-- Who created each compute plan of this organization (REST spec §3.8 "creator"): the orchestrator
-- does not know users, so the node keeps them and stamps the read model with them.
create table compute_plan_creators (
    plan_key   uuid         primary key,
    username   varchar(150) not null,
    created_at timestamptz  not null default now()
);

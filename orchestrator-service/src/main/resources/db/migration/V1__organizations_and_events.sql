-- Organizations exist per channel (spec §2.4, §6.1).
create table organizations (
    id            varchar(100) not null,
    channel       varchar(100) not null,
    address       varchar(200) not null default '',
    creation_date timestamptz  not null,
    primary key (id, channel)
);

-- Every event any rpc emits, in the transaction of its state change. The position is gapless per
-- channel and follows commit order because every writer takes the table lock first (spec §4.2).
-- payload is the serialized orchestrator.Event; published is the outbox flag for RabbitMQ.
create table events (
    id         uuid         primary key,
    channel    varchar(100) not null,
    position   bigint       not null,
    asset_key  varchar(200) not null,
    asset_kind varchar(64)  not null,
    event_kind varchar(32)  not null,
    timestamp  timestamptz  not null,
    metadata   jsonb        not null default '{}',
    payload    bytea        not null,
    published  boolean      not null default false,
    unique (channel, position)
);
create index events_unpublished on events (channel, position) where not published;
create index events_by_time on events (channel, timestamp, id);
create index events_by_asset on events (channel, asset_key);

-- Wakes event streams and the publisher of other replicas when events commit.
create function notify_events() returns trigger language plpgsql as $$
begin
    perform pg_notify('orchestrator_events', '');
    return null;
end;
$$;
create trigger events_committed after insert on events
    for each statement execute function notify_events();

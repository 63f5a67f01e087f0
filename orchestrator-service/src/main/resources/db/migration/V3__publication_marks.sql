-- The outbox keeps one high-water mark per channel instead of a flag per event: events are
-- published strictly in position order, so "published" is always a prefix of a channel's log.
-- Moving a mark does not touch the events table, whose lock every writer takes (V1): the
-- publisher no longer queues behind writers, nor writers behind it. A channel gets its mark with
-- its first event (EventLog).
create table publication_marks (
    channel  varchar(100) primary key,
    position bigint       not null
);
insert into publication_marks (channel, position)
    select channel, coalesce(max(position) filter (where published), 0) from events group by channel;
drop index events_unpublished;
alter table events drop column published;

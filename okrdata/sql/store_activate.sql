-- Make a batch the one in force for its quarters and record the event (import or restore).
insert or replace into active
select unnest($quarters) as quarter, $batch_id as batch_id;
insert into events (event_id, happened_at, kind, batch_id, by_user)
values ($event_id, $happened_at, $kind, $batch_id, $by_user);

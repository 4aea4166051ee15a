-- Make a batch the one in force for the given quarters, and log the event (import | restore).
insert or replace into active
select unnest($quarters) as quarter, $batch_id as batch_id;
insert into events (happened_at, kind, batch_id, by_user)
values (now()::timestamp, $kind, $batch_id, $by_user);

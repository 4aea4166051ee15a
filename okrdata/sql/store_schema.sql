-- The store's tables: every import is a batch; each quarter points at its active batch.
-- Data tables carry the batch they came from; the active_* views assemble what is in force.
create table if not exists meta (key varchar primary key, value varchar);
create sequence if not exists event_seq start 1;
create table if not exists batches (
    batch_id integer primary key,
    imported_at timestamp not null,
    imported_by varchar,
    files varchar not null,          -- JSON list of {name, sheet, table, sha256, rows}
    content_hash varchar not null,
    quarters varchar[] not null,
    rows_objectives bigint not null,
    rows_key_results bigint not null,
    rows_checkins bigint not null,
    rows_dependencies bigint not null,
    rows_teams bigint not null
);
create table if not exists events (
    event_id bigint primary key default nextval('event_seq'),
    happened_at timestamp not null,
    kind varchar not null,           -- import | restore
    batch_id integer not null,
    by_user varchar
);
create table if not exists active (quarter varchar primary key, batch_id integer not null);
create table if not exists objectives (
    batch_id integer not null, objective_id varchar, objective varchar, quarter varchar,
    team varchar, department varchar, parent_objective_id varchar, objective_owner varchar,
    okr_type varchar, level varchar, origin varchar
);
create table if not exists key_results (
    batch_id integer not null, kr_id varchar, objective_id varchar, key_result varchar,
    kr_owner varchar, metric_type varchar, start_value double, target_value double,
    current_value double, unit varchar, weight double
);
-- what was read of the batch's files, row by row (okrdata.ledger, JSON)
alter table batches add column if not exists ledger varchar;
alter table key_results add column if not exists current_as_of timestamp;  -- current_value's day
-- the exporting tool's own progress (0-1, Viva's Progress %) beside the one computed here
alter table objectives add column if not exists source_progress double;
alter table key_results add column if not exists source_progress double;
-- an objective or key result spanning quarters keeps one id: one row per quarter it is listed
-- in (a key result's quarter), marked with its period ("Annual 2026"); stores written before
-- held "<id>@<quarter>" copies instead (model.unify_copies reads them as one id)
alter table objectives add column if not exists period varchar;
alter table key_results add column if not exists quarter varchar;
alter table key_results add column if not exists period varchar;
create table if not exists checkins (
    batch_id integer not null, kr_id varchar, date timestamp, value double, confidence double,
    status varchar, target_value double, comment varchar, author varchar
);
create table if not exists dependencies (
    batch_id integer not null, team varchar, depends_on_team varchar, kr_id varchar,
    depends_on_kr_id varchar, description varchar, status varchar, due_date timestamp,
    quarter varchar
);
create table if not exists teams (
    batch_id integer not null, team varchar, department varchar, parent_team varchar,
    lead varchar
);
create or replace view active_objectives as
select o.*
from objectives as o
join active as a on a.quarter = o.quarter and a.batch_id = o.batch_id;
-- a key result's row of a quarter is in force with its objective's row of that quarter (a row
-- without a quarter, from a store written before key results had one: with its objective)
create or replace view active_key_results as
select k.*
from key_results as k
join (select distinct objective_id, quarter, batch_id from active_objectives) as o
    on o.objective_id = k.objective_id and o.batch_id = k.batch_id
    and (k.quarter is null or k.quarter = o.quarter);
-- a key result's check-ins, once: those of the newest batch in force that lists it (a key
-- result spanning quarters may be listed by the batches of several quarters)
create or replace view active_checkins as
select c.*
from checkins as c
join (select kr_id, max(batch_id) as batch_id from active_key_results group by kr_id) as k
    on k.kr_id = c.kr_id and k.batch_id = c.batch_id;
-- dependencies and the org chart: by quarter where given, else from the newest active batch
create or replace view active_dependencies as
with newest as (
    select max(d.batch_id) as batch_id
    from dependencies as d
    where d.batch_id in (select batch_id from active)
)
select d.*
from dependencies as d
left join active as a on a.quarter = d.quarter
where (d.quarter is not null and a.batch_id = d.batch_id)
   or (d.quarter is null and d.batch_id = (select batch_id from newest));
create or replace view active_teams as
with newest as (
    select max(t.batch_id) as batch_id
    from teams as t
    where t.batch_id in (select batch_id from active)
)
select t.*
from teams as t
where t.batch_id = (select batch_id from newest);
insert or ignore into meta values ('schema_version', '1');

-- ds_checkins: usable check-ins of known key results, one per key result and day (last row
-- wins), once per key result even when it spans quarters.
-- (a check-in of an unknown key result finds no key result below and is left out there)
with candidates as not materialized (
    -- read where it is used (twice), not copied: a copy of every check-in row with its text
    -- took memory the sort below then lacked (it spilled to disk at 20,000 teams)
    select _sid, _row, kr_id, date, value, confidence, status, target_value, comment, author
    from stg_checkins
    -- a check-in with no value (a status, a confidence or a comment alone) counts too: the
    -- metrics take progress from the latest check-in with a value
    where date is not null
      and (value is not null or status is not null or confidence is not null or comment is not null)
),
last_of_day as (
    -- only over the days that have more than one check-in: the last row wins, and what it
    -- leaves empty the last row that says it gives (a status or comment alone on the day of a
    -- value never takes the value away)
    select
        arg_max(_sid, k) as _sid, arg_max(_row, k) as _row, kr_id, date,
        arg_max(value, k) filter (where value is not null) as value,
        arg_max(confidence, k) filter (where confidence is not null) as confidence,
        arg_max(status, k) filter (where status is not null) as status,
        arg_max(target_value, k) filter (where target_value is not null) as target_value,
        arg_max(comment, k) filter (where comment is not null) as comment,
        arg_max(author, k) filter (where author is not null) as author
    from (
        select *, _sid::bigint * 4294967296 + _row as k
        from candidates semi join stg_checkin_days_twice using (kr_id, date)
    )
    group by kr_id, date
),
usable as not materialized (
    select * from candidates anti join stg_checkin_days_twice using (kr_id, date)
    union all
    select * from last_of_day
),
ranks as (
    -- check-ins are stored once per key result, whatever quarters it is listed in: those of a
    -- key result the import keeps (stg_kr_quarters), sorted by its rank among the ids (faster
    -- than by its text; the same order)
    select kr_id, row_number() over (order by kr_id) as kr_rank
    from (select distinct kr_id from stg_kr_quarters)
)
select u.kr_id, u.date, u.value, u.confidence, u.status, u.target_value, u.comment, u.author
from usable as u
join ranks as r using (kr_id)
order by r.kr_rank, u.date

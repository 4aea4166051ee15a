-- date_order: per source, whether a slashed date shows day-first (31/12) or month-first (12/31).
-- (dates repeat: each distinct text of a source is looked at once)
with texts as (
    select distinct _sid, date as d from raw_src_checkins
    union
    select distinct _sid, due_date from raw_src_dependencies
    union
    select distinct _sid, start_date from raw_src_okrs
    union
    select distinct _sid, end_date from raw_src_okrs
),
dates as (
    select _sid, split_part(trim(d), ' ', 1) as t from texts
),
slashed as (
    select _sid, regexp_split_to_array(t, '[/.-]') as p
    from dates
    where regexp_full_match(t, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
)
select
    _sid,
    bool_or(try_cast(p[1] as integer) > 12) as first_big,
    bool_or(try_cast(p[2] as integer) > 12) as second_big
from slashed
group by _sid

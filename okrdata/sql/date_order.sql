-- date_order: per source, whether a slashed date shows day-first (31/12) or month-first (12/31).
with dates as (
    select _sid, split_part(trim(date), ' ', 1) as t from raw_src_checkins
    union all
    select _sid, split_part(trim(due_date), ' ', 1) from raw_src_dependencies
    union all
    select _sid, split_part(trim(start_date), ' ', 1) from raw_src_okrs
    union all
    select _sid, split_part(trim(end_date), ' ', 1) from raw_src_okrs
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

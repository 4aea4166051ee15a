-- checks_ranked: the problems of one input table, at most $max_issues of each kind per file
-- (k numbers them, total counts them all, for the "… and N more" line).
with ranked as (
    select
        *,
        rowid as _at,  -- the order the checks list them in, for problems of one row
        row_number() over (partition by _sid, code order by _row, rowid) as k,
        count(*) over (partition by _sid, code) as total
    from checks
)
select * exclude (_at) from ranked
where k <= $max_issues
order by _sid, _row, _at

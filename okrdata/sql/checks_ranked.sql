-- checks_ranked: the problems of one input table, at most $max_issues of each kind per file
-- (k numbers them, total counts them all, for the "… and N more" line).
with ranked as (
    select
        *,
        row_number() over (partition by _sid, code order by _row) as k,
        count(*) over (partition by _sid, code) as total
    from checks
)
select * from ranked
where k <= $max_issues
order by _sid, _row

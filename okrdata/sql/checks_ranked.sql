-- checks_ranked: the problems of one input table, at most $max_issues of each kind per file
-- (k numbers them, total counts them all, for the "… and N more" line). The problems of one
-- row come in the order the checks file lists its checks ($codes: each code where the file
-- first names it), then by the column's place in the table ($columns), then by message: never
-- by the order DuckDB wrote the table in (on a large file its writers run in parallel).
with ranked as (
    select
        *,
        coalesce(list_position($codes, code), 1000) as _check,
        coalesce(list_position($columns, col), 1000) as _col
    from checks
),
numbered as (
    select
        *,
        row_number() over (partition by _sid, code order by _row, _check, _col, message) as k,
        count(*) over (partition by _sid, code) as total
    from ranked
)
select * exclude (_check, _col) from numbered
where k <= $max_issues
order by _sid, _row, _check, _col, message

-- ds_key_results: one row per key result and quarter it is shown in (the first row of a
-- repeated id wins; a key result spanning quarters keeps its id in each of them, marked with
-- its period, see stg_periods).
with firsts as (
    -- the first row of each id (by _sid, _row; one of the rows an input row became): found
    -- by an aggregate, then the row by its rowid (a window sorting every row with its 70
    -- columns took seconds at 20,000 teams)
    select s.*
    from stg_okrs as s
    semi join (
        select arg_min(rowid, _sid::bigint * 4294967296 + _row) as first
        from stg_okrs
        where kr_id is not null and objective_id is not null and team is not null
        group by kr_id
    ) as f on f.first = s.rowid
),
final as (
    select
        k.kr_id,
        k.objective_id,
        coalesce(k.key_result, k.kr_id) as key_result,
        k.kr_owner,
        k.metric_type,
        k.start_value,
        k.target_value,
        k.current_value,
        k.unit,
        greatest(k.weight, 0.0) as weight,
        k.current_as_of,
        k.source_progress,
        q.quarter,
        q.period
    from firsts as k
    join stg_kr_quarters as q using (kr_id)
)
select * from final
order by objective_id, kr_id, quarter

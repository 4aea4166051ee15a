-- stg_periods: the quarters each objective and key result is shown in, and its period.
-- An objective spanning quarters (Annual 2026, H1 2026) is one objective with one id, listed
-- in every quarter it covers (one row per id and quarter), marked with its period: the label
-- the file gave it when that names a span, else "Q1 2026 – Q3 2026" (its first and last quarters); an
-- objective in one quarter has no period mark. A key result's own period wins over its
-- objective's; an objective covers its own quarters and those of its key results.
create or replace macro okr_span_label(first_q, last_q) as
    right(first_q, 2) || ' ' || left(first_q, 4) || ' – ' || right(last_q, 2) || ' ' || left(last_q, 4);

create or replace table stg_objective_quarters as
with rows as (
    select * from stg_okrs
    where objective_id is not null and team is not null
),
own as (
    select objective_id, unnest(quarters) as quarter
    from rows
    where quarters is not null
    union
    select objective_id, unnest(kr_own_quarters) as quarter
    from rows
    where kr_own_quarters is not null and kr_id is not null
),
labels as (
    select objective_id, arg_min(quarter_raw, _sid::bigint * 4294967296 + _row) as label
    from rows
    where period_kind = 'span'
    group by objective_id
),
listed as (
    select distinct objective_id, quarter from own
),
counted as (
    -- each objective's count and first and last quarters by an aggregate joined back (a
    -- window over every row sorted them all)
    select l.objective_id, l.quarter, a.n, a.first_quarter, a.last_quarter
    from listed as l
    join (
        select objective_id, count(*) as n, min(quarter) as first_quarter,
            max(quarter) as last_quarter
        from listed
        group by objective_id
    ) as a using (objective_id)
),
final as (
    select
        c.objective_id,
        c.quarter,
        c.objective_id as objective_copy,
        case when c.n > 1 then coalesce(l.label, okr_span_label(c.first_quarter, c.last_quarter)) end
            as period,
        c.n
    from counted as c
    left join labels as l using (objective_id)
)
select * from final;

create or replace table stg_kr_quarters as
with krs as (
    -- the first row of each id (by _sid, _row; one of the rows an input row became): an
    -- aggregate and the row by its rowid, no window sorting every row
    select s.* from stg_okrs as s
    semi join (
        select arg_min(rowid, _sid::bigint * 4294967296 + _row) as first
        from stg_okrs
        where kr_id is not null and objective_id is not null
        group by kr_id
    ) as f on f.first = s.rowid
),
each as (
    select
        kr_id,
        objective_id,
        unnest(coalesce(kr_own_quarters, quarters)) as quarter,
        case
            when kr_own_quarters is not null and kr_period_kind = 'span' then kr_quarter_raw
            when kr_own_quarters is null and period_kind = 'span' then quarter_raw
        end as label
    from krs
),
counted as (
    -- as for objectives: an aggregate joined back, no window
    select e.*, a.n, a.first_quarter, a.last_quarter
    from each as e
    join (
        select kr_id, count(*) as n, min(quarter) as first_quarter, max(quarter) as last_quarter
        from each
        group by kr_id
    ) as a using (kr_id)
),
final as (
    select
        c.kr_id,
        c.quarter,
        c.kr_id as kr_copy,
        o.objective_copy,
        case when c.n > 1 then coalesce(c.label, okr_span_label(c.first_quarter, c.last_quarter)) end
            as period
    from counted as c
    join stg_objective_quarters as o on o.objective_id = c.objective_id and o.quarter = c.quarter
)
select * from final;

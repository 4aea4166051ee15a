-- stg_periods: the quarters each objective and key result is shown in, and the id of each copy.
-- An objective spanning quarters (Annual 2026, H1 2026) has one copy per quarter, id
-- "<id>@<quarter>"; a key result's own period wins over its objective's; an objective covers
-- its own quarters and those of its key results.
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
counted as (
    select objective_id, quarter, count(*) over (partition by objective_id) as n
    from (select distinct objective_id, quarter from own)
),
final as (
    select
        objective_id,
        quarter,
        case when n > 1 then objective_id || '@' || quarter else objective_id end
            as objective_copy,
        n
    from counted
)
select * from final;

create or replace table stg_kr_quarters as
with krs as (
    select * from stg_okrs
    where kr_id is not null and objective_id is not null
    qualify row_number() over (partition by kr_id order by _sid, _row) = 1
),
each as (
    select kr_id, objective_id, unnest(coalesce(kr_own_quarters, quarters)) as quarter
    from krs
),
counted as (
    select *, count(*) over (partition by kr_id) as n
    from each
),
final as (
    select
        c.kr_id,
        c.quarter,
        case when c.n > 1 then c.kr_id || '@' || c.quarter else c.kr_id end as kr_copy,
        o.objective_copy
    from counted as c
    join stg_objective_quarters as o on o.objective_id = c.objective_id and o.quarter = c.quarter
)
select * from final;

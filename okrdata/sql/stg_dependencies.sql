-- stg_dependencies: dependencies between teams, typed.
create or replace table stg_dependencies as
with src as (
    select * from src_dependencies
),
final as (
    select
        src._sid,
        src._row,
        okr_clean(src.team) as team,
        okr_clean(src.depends_on_team) as depends_on_team,
        okr_clean(src.kr_id) as kr_id,
        okr_clean(src.depends_on_kr_id) as depends_on_kr_id,
        okr_clean(src.description) as description,
        okr_clean(src.status) as status_raw,
        coalesce(status.value, case when okr_clean(src.status) is null then 'open' end) as status,
        okr_clean(src.due_date) as due_date_raw,
        okr_date(src.due_date, src._dayfirst) as due_date,
        okr_date_any(src.due_date, src._dayfirst) as due_date_any,
        okr_clean(src.quarter) as quarter_raw,
        case when pm.kind = 'quarter' then pm.quarters[1] end as quarter
    from src
    left join enum_alias as status
        on status.kind = 'dep_status' and status.alias = okr_key(src.status)
    left join period_map as pm on pm.raw = okr_clean(src.quarter)
)
select * from final;

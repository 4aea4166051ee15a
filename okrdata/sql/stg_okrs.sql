-- stg_okrs: the okrs input typed, one row per input row; *_raw keeps the text for the checks.
create or replace table stg_okrs as
with src as (
    select * from src_okrs
),
typed as (
    select
        src._sid,
        src._row,
        okr_clean(src.objective_id) as objective_id,
        okr_clean(src.objective) as objective,
        okr_clean(src.quarter) as quarter_raw,
        okr_quarter(src.quarter) as quarter,
        okr_clean(src.team) as team,
        okr_clean(src.department) as department,
        okr_clean(src.parent_objective_id) as parent_objective_id,
        okr_clean(src.objective_owner) as objective_owner,
        okr_clean(src.okr_type) as okr_type_raw,
        okr_type.value as okr_type,
        okr_clean(src.level) as level_raw,
        lvl.value as level,
        okr_clean(src.origin) as origin_raw,
        origin.value as origin,
        okr_clean(src.kr_id) as kr_id,
        okr_clean(src.key_result) as key_result,
        okr_clean(src.kr_owner) as kr_owner,
        okr_clean(src.metric_type) as metric_type_raw,
        metric.value as metric_type_given,
        okr_clean(src.start_value) as start_value_raw,
        okr_number(src.start_value) as start_value_given,
        okr_clean(src.target_value) as target_value_raw,
        okr_number(src.target_value) as target_value_given,
        okr_clean(src.current_value) as current_value_raw,
        okr_number(src.current_value) as current_value,
        okr_clean(src.unit) as unit,
        okr_clean(src.weight) as weight_raw,
        okr_number(src.weight) as weight_given
    from src
    left join enum_alias as okr_type
        on okr_type.kind = 'okr_type' and okr_type.alias = okr_key(src.okr_type)
    left join enum_alias as lvl
        on lvl.kind = 'level' and lvl.alias = okr_key(src.level)
    left join enum_alias as origin
        on origin.kind = 'origin' and origin.alias = okr_key(src.origin)
    left join enum_alias as metric
        on metric.kind = 'metric_type' and metric.alias = okr_key(src.metric_type)
),
final as (
    select
        *,
        coalesce(start_value_given, 0.0) as start_value,
        coalesce(target_value_given, case when metric_type_given = 'binary' then 1.0 end)
            as target_value,
        coalesce(
            metric_type_given,
            case when target_value_given < coalesce(start_value_given, 0.0) then 'decrease'
                else 'increase' end
        ) as metric_type,
        coalesce(weight_given, 1.0) as weight
    from typed
)
select * from final;

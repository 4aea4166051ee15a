-- stg_checkins: check-ins typed; confidence put on 0-1 by the scale its file uses.
create or replace table stg_checkins as
with src as (
    select * from src_checkins
),
typed as (
    select
        src._sid,
        src._row,
        okr_clean(src.kr_id) as kr_id,
        okr_clean(src.date) as date_raw,
        okr_date(src.date, src._dayfirst) as date,
        okr_date_any(src.date, src._dayfirst) as date_any,
        okr_clean(src.value) as value_raw,
        okr_number(src.value) as value,
        okr_clean(src.confidence) as confidence_raw,
        okr_number(src.confidence) as confidence_number,
        contains(src.confidence, '%') as confidence_pct,
        okr_clean(src.status) as status_raw,
        status.value as status,
        okr_clean(src.target_value) as target_value_raw,
        okr_number(src.target_value) as target_value,
        okr_clean(src.comment) as comment,
        okr_clean(src.author) as author
    from src
    left join enum_alias as status
        on status.kind = 'status' and status.alias = okr_key(src.status)
),
scales as (
    -- the confidence scale each file uses: one row per file, not a window over every row
    select
        _sid,
        case
            when bool_or(confidence_pct) or max(confidence_number) > 10 then 100.0
            when max(confidence_number) > 1 then 10.0
            else 1.0
        end as confidence_scale
    from typed
    group by _sid
),
scaled as (
    select typed.*, scales.confidence_scale
    from typed
    join scales using (_sid)
),
final as (
    select
        * exclude (confidence_pct),
        case
            when confidence_number / confidence_scale between 0 and 1
                then confidence_number / confidence_scale
        end as confidence
    from scaled
)
select * from final;

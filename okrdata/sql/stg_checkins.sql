-- stg_checkins: check-ins typed; confidence put on 0-1 by the scale its file uses; a key
-- result named by its title (a weekly-updates tab) is found by that title.
create or replace table stg_checkins as
with src as (
    select * from src_checkins
),
kr_titles as (
    select lower(key_result) as title, min(kr_id) as kr_id
    from stg_okrs
    where key_result is not null and kr_id is not null
    group by all
    having count(distinct kr_id) = 1
),
typed as (
    select
        src._sid,
        src._row,
        case
            when okr_clean(src.kr_id) in (select kr_id from stg_okrs where kr_id is not null)
                then okr_clean(src.kr_id)
            else coalesce(t.kr_id, okr_clean(src.kr_id))
        end as kr_id,
        okr_clean(src.date) as date_raw,
        okr_date(src.date, src._dayfirst) as date,
        okr_date_any(src.date, src._dayfirst) as date_any,
        okr_clean(src.value) as value_raw,
        coalesce(okr_number(src.value), case z.value
            when 'stretch' then $zone_stretch when 'target' then $zone_target
            when 'commit' then $zone_commit when 'miss' then 0.0
            when 'done' then 1.0 when 'not_done' then 0.0 end) as value,
        okr_clean(src.confidence) as confidence_raw,
        okr_number(src.confidence) as confidence_number,
        okr_confidence_word(src.confidence) as confidence_word,
        contains(src.confidence, '%') as confidence_pct,
        okr_clean(src.status) as status_raw,
        coalesce(status.value, okr_emoji_status(src.status)) as status,
        status.alias is not null or okr_emoji_status(src.status) is not null as status_known,
        okr_clean(src.target_value) as target_value_raw,
        okr_number(src.target_value) as target_value,
        okr_clean(src.comment) as comment,
        okr_clean(src.author) as author
    from src
    left join enum_alias as status
        on status.kind = 'status' and status.alias = okr_key(src.status)
    left join enum_alias as z
        on z.kind = 'mark' and z.alias = okr_key(src.value)
    left join kr_titles as t
        on t.title = lower(okr_clean(src.kr_id))
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
            else confidence_word
        end as confidence
    from scaled
)
select * from final;

-- stg_okrs: the okrs input typed, one row per input row; *_raw keeps the text for the checks.
-- Periods come from period_map (labels read in Python, see periods.py), else from the start/end
-- dates; missing ids are derived from quarter, team and title; the kind of each key result
-- (numeric, progress, zone, milestone) decides its start, target and current value.
create or replace table stg_okrs as
with cells as (
    -- the plain decimals (most number cells) cast once each; the list of okr_number below is
    -- made only for the rows with another spelling (the list and its lambda cost about 80 ms
    -- at 2,000 teams when made for every row)
    select
        *,
        okr_number_plain(start_value, _comma) as _plain1,
        okr_number_plain(target_value, _comma) as _plain2,
        okr_number_plain(current_value, _comma) as _plain3,
        okr_number_plain(progress, _comma) as _plain4,
        okr_number_plain(source_progress, _comma) as _plain5,
        okr_number_plain(objective_source_progress, _comma) as _plain6,
        okr_number_plain(weight, _comma) as _plain7
    from src_okrs
),
src as (
    -- the other number cells and the dates typed, every text cell cleaned (okr_clean) and
    -- every enumerated cell keyed (okr_key) by one use of its macro, over a list of the row's
    -- cells: the same values, but DuckDB binds each macro (which it expands inline) once
    -- instead of once per column (28 copies of okr_clean took 15 ms to plan for any import)
    select
        *,
        case when (start_value is not null and _plain1 is null)
            or (target_value is not null and _plain2 is null)
            or (current_value is not null and _plain3 is null)
            or (progress is not null and _plain4 is null)
            or (source_progress is not null and _plain5 is null)
            or (objective_source_progress is not null and _plain6 is null)
            or (weight is not null and _plain7 is null)
        then list_transform([start_value, target_value, current_value, progress,
            source_progress, objective_source_progress, weight], lambda x: okr_number(x, _comma))
        end as _other,
        -- (only of rows with a date: the list's lambda cost 30 ms at 2,000 teams on no dates)
        case when coalesce(start_date, end_date, current_as_of) is not null
            then list_transform([start_date, end_date, current_as_of],
                lambda x: okr_date(x, _dayfirst)) end as _date,
        list_transform([
            objective_id, objective, quarter, kr_quarter, start_date,  -- 1-5
            end_date, team, department, parent_objective_id, objective_owner,  -- 6-10
            okr_type, level, origin, kr_id, key_result,  -- 11-15
            kr_owner, metric_type, start_value, target_value, current_value,  -- 16-20
            current_as_of, progress, source_progress, objective_source_progress, status,  -- 21-25
            unit, weight  -- 26-27
        ], lambda x: okr_clean(x)) as _clean,
        list_transform([okr_type, level, origin, metric_type, status, current_value],  -- 1-6
            lambda x: okr_key(x)) as _key
    from cells
),
enum_maps as (
    -- each kind's spellings as one map, read per row (one cross join with this row where
    -- there were seven joins on enum_alias: the same values, a little less to plan)
    select
        map_from_entries(list((alias, value)) filter (where kind = 'okr_type')) as okr_type,
        map_from_entries(list((alias, value)) filter (where kind = 'level')) as level,
        map_from_entries(list((alias, value)) filter (where kind = 'origin')) as origin,
        map_from_entries(list((alias, value)) filter (where kind = 'metric_type'))
            as metric_type,
        map_from_entries(list((alias, value)) filter (where kind = 'mark')) as mark
    from enum_alias
),
typed as (
    select
        src._sid,
        src._row,
        src._clean[1] as objective_id_given,
        src._clean[2] as objective,
        src._clean[3] as quarter_raw,
        src._clean[4] as kr_quarter_raw,
        src._clean[5] as start_date_raw,
        src._date[1] as start_date,
        src._clean[6] as end_date_raw,
        src._date[2] as end_date,
        src._clean[7] as team,
        src._clean[8] as department,
        src._clean[9] as parent_raw,
        okr_person(src._clean[10]) as objective_owner,
        -- a type that names a level (Goal Type = Company / Department / Team) is the level
        case when m.level[src._key[1]] is null or src.level is not null
            then src._clean[11] end as okr_type_raw,
        m.okr_type[src._key[1]] as okr_type,
        src._clean[12] as level_raw,
        coalesce(m.level[src._key[2]], case when src.level is null then m.level[src._key[1]] end)
            as level,
        src._clean[13] as origin_raw,
        m.origin[src._key[3]] as origin,
        src._clean[14] as kr_id_given,
        src._clean[15] as key_result,
        okr_person(src._clean[16]) as kr_owner,
        src._clean[17] as metric_type_raw,
        -- 'zone' and 'measured' name a kind of key result, not a direction
        case when m.metric_type[src._key[4]] not in ('zone', 'measured')
            then m.metric_type[src._key[4]] end
            as metric_type_given,
        m.metric_type[src._key[4]] as metric_class,
        src._clean[18] as start_value_raw,
        coalesce(src._plain1, src._other[1]) as start_value_given,
        src._clean[19] as target_value_raw,
        -- a current value written as a count of how many (3/5, 60 of 100) gives the target
        -- when the row has none
        case
            when src._clean[19] is not null
                then coalesce(src._plain2, src._other[2])
            when coalesce(src._plain3, src._other[3]) is null
                then okr_fraction(src.current_value, 2)
        end as target_value_given,
        src._clean[20] as current_value_raw,
        src._clean[21] as current_as_of_raw,
        src._date[3] as current_as_of,
        coalesce(coalesce(src._plain3, src._other[3]), okr_fraction(src.current_value, 1))
            as current_number,
        src._clean[22] as progress_raw,
        coalesce(src._plain4, src._other[4]) as progress_number,
        coalesce(contains(src.progress, '%'), false) as progress_pct,
        -- the progress the exporting tool shows itself (Viva's Progress %), of the key result
        -- and of its objective, on the file's progress scale
        src._clean[23] as source_progress_raw,
        coalesce(src._plain5, src._other[5]) as source_progress_number,
        src._clean[24] as objective_source_progress_raw,
        coalesce(src._plain6, src._other[6]) as objective_source_progress_number,
        coalesce(contains(src.source_progress, '%') or contains(src.objective_source_progress,
            '%'), false) as source_progress_pct,
        src._clean[25] as status_raw,
        coalesce(m.mark[src._key[5]], okr_mark(src.status)) as status_mark,
        coalesce(m.mark[src._key[6]], okr_mark(src.current_value)) as current_mark,
        src._clean[26] as unit,
        src._clean[27] as weight_raw,
        coalesce(src._plain7, src._other[7]) as weight_given,
        -- an initiative, project or deliverable: work under the objective, never a KR
        coalesce(src._key[1] in ('initiative', 'project', 'deliverable', 'task',
            'epic', 'workitem', 'initiatives', 'projects', 'deliverables', 'tasks')
            or src._key[2] in ('initiative', 'project', 'deliverable', 'task', 'epic'),
            false) as is_work
    from src
    cross join enum_maps as m
),
periods as (
    select
        typed.*,
        op.kind as period_kind,
        case
            when op.kind in ('quarter', 'span') then op.quarters
            else okr_quarters_between(start_date, end_date, $fiscal_start_month)
        end as quarters,
        kp.kind as kr_period_kind,
        case when kp.kind in ('quarter', 'span') then kp.quarters end as kr_own_quarters
    from typed
    left join period_map as op on op.raw = typed.quarter_raw
    left join period_map as kp on kp.raw = typed.kr_quarter_raw
),
ids as (
    select
        *,
        objective_id_given is null and objective is not null
            and not (is_work and key_result is null) as objective_id_derived,
        case when not (is_work and key_result is null) then coalesce(
            objective_id_given,
            -- (a cycle word is no period: the dates tell one quarter's objective from the next)
            'O-' || left(md5(lower(concat_ws('|', case
                when period_kind = 'cycle' and coalesce(start_date_raw, end_date_raw) is not null
                    then concat_ws('/', start_date_raw, end_date_raw)
                else quarter_raw end, team, objective))), 8)
        ) end as objective_id,
        case when is_work then coalesce(key_result, objective) end as work_title
    from periods
),
local_kr_ids as (
    -- where objectives are named by title alone (no objective id given), a key-result id that
    -- comes under more than one objective numbers key results within their objective (KR1,
    -- KR2 under each; or a KR column of titles two teams share): each is its objective's
    select kr_id_given, count(distinct objective_id) as objectives
    from ids
    where kr_id_given is not null and not is_work and objective_id is not null
    group by kr_id_given
    having count(distinct objective_id) > 1 and bool_and(objective_id_derived)
),
kr_ids as (
    select
        ids.* replace (case when l.kr_id_given is not null
            then coalesce(ids.key_result, ids.kr_id_given) else ids.key_result end as key_result),
        ids.kr_id_given is null and ids.key_result is not null and not ids.is_work
            as kr_id_derived,
        l.objectives as kr_id_objectives,
        case when not ids.is_work then coalesce(
            case when l.kr_id_given is not null
                then ids.objective_id || '/' || ids.kr_id_given else ids.kr_id_given end,
            case when ids.key_result is not null
                then 'KR-' || left(md5(lower(concat_ws('|', ids.objective_id, ids.key_result))),
                    8) end
        ) end as kr_id
    from ids
    left join local_kr_ids as l using (kr_id_given)
),
known as (
    select distinct objective_id from kr_ids where objective_id is not null
),
titles as (
    select lower(objective) as title, min(objective_id) as objective_id
    from kr_ids
    where objective is not null
    group by all
    having count(distinct objective_id) = 1
),
parents as (
    select
        r.*,
        case
            when r.parent_raw is null or r.parent_raw in (select objective_id from known)
                then r.parent_raw
            else coalesce(t.objective_id, r.parent_raw)
        end as parent_objective_id,
        t.objective_id is not null and r.parent_raw not in (select objective_id from known)
            as parent_by_title
    from kr_ids as r
    left join titles as t on t.title = lower(r.parent_raw)
),
scales as (
    -- a file's progress is on 0-1 or 0-100 (its progress and the tool's own, one column in an
    -- export): one row per file
    select _sid, case when bool_or(progress_pct or source_progress_pct)
            or greatest(max(progress_number), max(source_progress_number),
                max(objective_source_progress_number)) > 1 then 100.0 else 1.0 end
        as progress_scale
    from typed
    group by _sid
),
kinds as (
    select
        p.*,
        s.progress_scale,
        case
            when p.kr_id is null then null
            when p.metric_class = 'zone' and p.target_value_given is null then 'zone'
            when p.target_value_given is not null or p.metric_type_given = 'binary' then 'numeric'
            when p.current_mark in ('commit', 'target', 'stretch', 'miss') then 'zone'
            when p.progress_number is not null then 'progress'
            when p.current_number is not null and p.start_value_given is null then 'progress'
            else 'milestone'
        end as kr_kind
    from parents as p
    join scales as s using (_sid)
),
final as (
    select
        *,
        case kr_kind
            -- a guard rail without a start holds its line until a value breaks it
            when 'numeric' then coalesce(start_value_given, case when metric_type_given in
                ('stay_above', 'stay_below') then target_value_given end, 0.0)
            else 0.0
        end as start_value,
        case kr_kind
            when 'numeric' then coalesce(
                target_value_given, case when metric_type_given = 'binary' then 1.0 end)
            when 'progress' then progress_scale
            when 'zone' then 1.0
            when 'milestone' then 1.0
        end as target_value,
        case kr_kind
            -- a numeric KR with only a progress is that share of the way from start to target
            when 'numeric' then coalesce(current_number,
                coalesce(start_value_given, 0.0) + progress_number / progress_scale * (
                    coalesce(target_value_given, case when metric_type_given = 'binary' then 1.0 end)
                    - coalesce(start_value_given, 0.0)))
            when 'progress' then coalesce(progress_number, current_number)
            when 'zone' then case current_mark
                when 'stretch' then $zone_stretch when 'target' then $zone_target
                when 'commit' then $zone_commit else 0.0 end
            when 'milestone' then case
                when current_mark = 'done' or status_mark = 'done' then 1.0
                when current_mark = 'not_done' then 0.0 end
        end as current_value,
        case
            when kr_kind = 'milestone' then 'binary'
            when kr_kind in ('progress', 'zone') then 'increase'
            else coalesce(
                metric_type_given,
                case when target_value_given < coalesce(start_value_given, 0.0) then 'decrease'
                    else 'increase' end)
        end as metric_type,
        quarters[1] as quarter,
        coalesce(weight_given, 1.0) as weight,
        source_progress_number / progress_scale as source_progress,
        objective_source_progress_number / progress_scale as objective_source_progress
    from kinds
)
select * from final;

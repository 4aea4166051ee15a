-- checks_okrs: row-level problems of the okrs input (severity, code, _sid, _row, col, value, message).
create or replace table checks as
with rows as not materialized (
    select * from stg_okrs
),
objective_firsts as (
    -- the first row of each objective (by _sid, _row; one of the rows an input row became):
    -- an aggregate and the row by its rowid (a window sorted every row with its columns)
    select s.*
    from stg_okrs as s
    semi join (
        select arg_min(rowid, _sid::bigint * 4294967296 + _row) as first
        from stg_okrs
        where objective_id is not null
        group by objective_id
    ) as f on f.first = s.rowid
),
required as (
    select 'error' as severity, 'missing_value' as code, _sid, _row, col, null as value,
        'The ' || label || ' is empty; every row needs one.' as message
    from rows,
        (values ('objective', 'objective title'), ('team', 'team')) as r(col, label)
    where (col = 'objective' and objective is null and objective_id_given is null)
       or (col = 'team' and team is null)
),
bad_quarter as (
    select 'error', 'bad_quarter', _sid, _row, 'quarter', quarter_raw,
        '''' || quarter_raw || ''' is not a quarter; write it like 2026-Q3 (Q1-Q4).'
    from rows
    where period_kind = 'bad' and quarters is null
),
no_quarter as (
    -- kept aside and listed, once per objective: never a reason to refuse the file
    select 'warning', 'undated', _sid, _row, 'quarter', quarter_raw,
        case
            when period_kind = 'implausible' then
                '''' || quarter_raw || ''' is a quarter in an implausible year (before 1990 or '
                || 'after 2200); objective ' || objective_id || ' is kept aside, in no quarter. '
                || 'Check the year.'
            when period_kind = 'undated' then
                'Objective ' || objective_id || ' has no dated period (' || quarter_raw
                || '): it is kept aside and listed, in no quarter.'
            when period_kind = 'cycle' then
                '''' || quarter_raw || ''' says how often, not which period, and no start or '
                || 'end date tells; objective ' || objective_id || ' is kept aside, in no quarter.'
            when quarter_raw is not null then
                '''' || quarter_raw || ''' is not a period (like 2026-Q3, FY27-Q1, H1 2026 or '
                || 'Annual 2026) and no start or end date tells; objective ' || objective_id
                || ' is kept aside, in no quarter.'
            else
                'Objective ' || objective_id || ' has no quarter and no start or end date: it '
                || 'is kept aside and listed, in no quarter.'
        end
    from objective_firsts
    where quarters is null and period_kind is distinct from 'bad'
      -- (an objective a dated key result puts in a quarter is shown there: not aside)
      and objective_id not in (select objective_id from stg_objective_quarters)
),
kr_period as (
    select 'warning', 'undated', _sid, _row, 'kr_quarter', kr_quarter_raw,
        '''' || kr_quarter_raw || ''' is not a quarter key result ' || kr_id
        || ' can be placed in; it follows its objective''s period.'
    from rows
    where kr_quarter_raw is not null and kr_own_quarters is null and kr_id is not null
),
derived_ids as (
    select 'warning', 'derived_id', _sid, min(_row), 'objective_id', min(objective_id),
        case count(distinct objective_id) when 1 then '1 objective has'
            else format('{:,}', count(distinct objective_id)) || ' objectives have' end
        || ' no id; stable ids are derived from '
        || 'quarter, team and title (like ' || min(objective_id) || ').'
    from rows
    where objective_id_derived
    group by _sid
    union all
    select 'warning', 'derived_id', _sid, min(_row), 'kr_id', min(kr_id),
        case count(distinct kr_id) when 1 then '1 key result has'
            else format('{:,}', count(distinct kr_id)) || ' key results have' end
        || ' no id; stable ids are derived from '
        || 'their objective and title (like ' || min(kr_id) || ').'
    from rows
    where kr_id_derived
    group by _sid
),
long_titles as (
    select 'warning', 'long_title', r._sid, r._row, c.col, left(t.title, 80),
        c.label || ' of ' || length(t.title) || ' characters: it is kept, and cut to '
        || '200 characters where it is displayed.'
    from rows as r,
        (values ('objective', 'An objective title'), ('key_result', 'A key result title'))
            as c(col, label),
        lateral (select case c.col when 'objective' then r.objective else r.key_result end
            as title) as t
    where length(t.title) > 1000
      and (c.col = 'key_result' or r._row = (select min(x._row) from rows as x
                                             where x.objective_id = r.objective_id))
),
bad_number as (
    select 'error', 'bad_number', _sid, _row, col, raw,
        okr_number_problem(raw)
    from rows,
        (values ('start_value'), ('target_value'), ('current_value'), ('weight'), ('progress'))
            as c(col),
        lateral (select case col
            when 'start_value' then start_value_raw when 'target_value' then target_value_raw
            when 'current_value' then current_value_raw when 'progress' then progress_raw
            else weight_raw end as raw,
            case col
            when 'start_value' then start_value_given::varchar
            when 'target_value' then target_value_given::varchar
            when 'current_value' then coalesce(current_number::varchar, current_mark)
            when 'progress' then progress_number::varchar
            else weight_given::varchar end as num)
    where raw is not null and num is null
),
kr_without_id as (
    -- (a key result with a title always has an id: given, or derived from the title)
    select 'error', 'missing_value', _sid, _row, 'key_result', target_value_raw,
        'This row has a target (' || target_value_raw || ') but no key result: give the key '
        || 'result a title.'
    from rows
    where kr_id is null and target_value_raw is not null and not is_work
),
negative_weight as (
    select 'error', 'negative_weight', _sid, _row, 'weight', weight_raw,
        'A weight cannot be negative (' || weight_raw || ').'
    from rows
    where weight_given < 0
),
target_is_start as (
    -- a start written equal to the target is an error; no start at all, with a target equal
    -- to the start it then gets (0: "net growth of 0"), holds its line: reached while the
    -- value is there (metrics.raw_progress), said in a warning
    select case when start_value_given is null then 'warning' else 'error' end,
        'target_equals_start', _sid, _row, 'target_value', target_value_raw,
        case when start_value_given is null
            then 'Key result ' || kr_id || ' has no start and a target of ' || target_value_raw
                || ', the start it is given: it counts as reached while its value is at or '
                || 'beyond it. Give it a start (baseline) to measure progress.'
            else 'Key result ' || kr_id || ' has its target equal to its start ('
                || target_value_raw || '): progress cannot be measured.' end
    from rows
    where kr_id is not null and metric_type in ('increase', 'decrease')
      and target_value = start_value
),
duplicate_kr as (
    -- every row of a key-result id after its first: the ids used twice found by an aggregate
    -- (few), no window over every row
    select 'error', 'duplicate_id', r._sid, r._row, 'kr_id', coalesce(r.kr_id_given, r.kr_id),
        'Key result id ' || coalesce(r.kr_id_given, r.kr_id) || ' is used again (first on row '
        || d.first_row || okr_of_source(d.first_sid, r._sid) || ').'
    from stg_okrs as r
    join (
        select kr_id, arg_min(rowid, _sid::bigint * 4294967296 + _row) as first,
            arg_min(_row, _sid::bigint * 4294967296 + _row) as first_row,
            arg_min(_sid, _sid::bigint * 4294967296 + _row) as first_sid
        from stg_okrs
        where kr_id is not null
        group by kr_id
        having count(*) > 1
    ) as d on d.kr_id = r.kr_id
    where r.rowid <> d.first
),
kr_id_per_objective as (
    -- ids numbering key results within their objective (stg_okrs): said once per file, on
    -- the first row of one of them
    select 'warning', 'kr_id_per_objective', r._sid, r._row, 'kr_id', f.ids,
        case when f.n = 1 then 'Key result id ' || f.ids || ' comes' else 'Key result ids '
            || f.ids || ' come' end
        || ' under different objectives named by title alone (numbered afresh under each, or '
        || 'one title two teams use): each objective''s is read as a key result of its own '
        || '(ids like ' || r.kr_id || ').'
    from stg_okrs as r
    join (
        select _sid, arg_min(rowid, _row) as first, count(distinct kr_id_given) as n,
            array_to_string(list_sort(list_distinct(list(kr_id_given)))[1:5], ', ')
                || case when count(distinct kr_id_given) > 5 then ', …' else '' end as ids
        from stg_okrs
        where kr_id_objectives is not null
        group by _sid
    ) as f on f.first = r.rowid
),
objective_conflicts as (
    -- each row against its objective's first row (objective_firsts): its team and its quarter
    select 'error', 'conflicting_objective', o._sid, o._row, 'team', o.team,
        'Objective ' || o.objective_id || ' has team ' || o.team || ' here but '
        || f.team || ' on row ' || f._row || okr_of_source(f._sid, o._sid) || '.'
    from rows as o
    join objective_firsts as f using (objective_id)
    where o.objective_id is not null and o.team is distinct from f.team
      and o.team is not null and f.team is not null
    union all
    select 'error', 'conflicting_objective', o._sid, o._row, 'quarter', o.quarter,
        'Objective ' || o.objective_id || ' has quarter ' || o.quarter || ' here but '
        || f.quarter || ' on row ' || f._row || okr_of_source(f._sid, o._sid) || '.'
    from rows as o
    join objective_firsts as f using (objective_id)
    where o.objective_id is not null and o.quarter is distinct from f.quarter
      and o.quarter is not null and f.quarter is not null
),
unknown_parent as (
    select 'warning', 'unknown_parent', r._sid, r._row, 'parent_objective_id',
        r.parent_objective_id,
        'Parent objective ' || r.parent_objective_id
        || ' is not in the data; the link is shown as broken.'
    from rows as r
    where r.parent_objective_id is not null
      and r.parent_objective_id not in (select objective_id from rows where objective_id is not null)
      and (r.kr_id is null or r._row = (select min(x._row) from rows as x
                                       where x.objective_id = r.objective_id and x._sid = r._sid))
),
unknown_values as (
    select 'warning', 'unknown_value', _sid, _row, col, raw,
        '''' || raw || ''' is not a known ' || col || ' (' || allowed || '); '
        || fallback || ' is used.'
    from rows,
        (values ('okr_type', 'committed or aspirational', 'aspirational'),
                ('level', 'company, department or team', 'the inferred level'),
                ('origin', 'top_down or bottom_up', 'nothing'),
                ('metric_type', 'increase, decrease, binary, stay_above or stay_below',
                 'the inferred type')) as c(col, allowed, fallback),
        lateral (select case col when 'okr_type' then okr_type_raw when 'level' then level_raw
                     when 'origin' then origin_raw else metric_type_raw end as raw,
                 case col when 'okr_type' then okr_type when 'level' then level
                     when 'origin' then origin else metric_class end as val)
    where raw is not null and val is null and not (is_work and col in ('okr_type', 'level'))
        -- a Type that names the row's kind (Perdoo's result type: Key Result, Initiative)
        -- says what the row is, not whether it is committed
        and not (col = 'okr_type' and regexp_full_match(lower(raw),
            '(key[^a-z]*results?|krs?|objectives?|results?|outcomes?)'))
),
bad_as_of as (
    select 'warning', 'bad_date', _sid, _row, 'current_as_of', current_as_of_raw,
        '''' || current_as_of_raw || ''' is not a date; the current value counts from the day '
        || 'it is imported. Write the day it was read, like 2026-07-20.'
    from rows
    where current_as_of_raw is not null and current_as_of is null
),
fiscal_dated as (
    -- fiscal labels dated without a setting (fiscal.py): said once, on the first row with one
    select 'warning', 'fiscal_year', r._sid, r._row, 'quarter', r.quarter_raw, pm.note
    from rows as r
    join period_map as pm on pm.raw = r.quarter_raw
    where pm.note is not null
    qualify row_number() over (order by r._sid, r._row) = 1
),
final as (
    select * from required
    union all select * from fiscal_dated
    union all select * from bad_quarter
    union all select * from bad_number
    union all select * from kr_without_id
    union all select * from no_quarter
    union all select * from kr_period
    union all select * from derived_ids
    union all select * from long_titles
    union all select * from negative_weight
    union all select * from target_is_start
    union all select * from duplicate_kr
    union all select * from kr_id_per_objective
    union all select * from objective_conflicts
    union all select * from unknown_parent
    union all select * from unknown_values
    union all select * from bad_as_of
)
select * from final

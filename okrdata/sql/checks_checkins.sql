-- checks_checkins: row-level problems of the check-ins input.
create or replace table checks as
with rows as not materialized (
    select * from stg_checkins
),
krs as (
    -- the quarters a key result is shown in (a span for an annual one)
    select
        kr_id,
        case when min(q) = max(q) then min(q) else min(q) || ' to ' || max(q) end as quarter,
        okr_quarter_start(min(q), $fiscal_start_month) as first_day,
        okr_quarter_end(max(q), $fiscal_start_month) as last_day
    from (
        select kr_id, unnest(coalesce(kr_own_quarters, quarters)) as q
        from stg_okrs
        where kr_id is not null
    )
    group by kr_id
),
required as (
    select 'error' as severity, 'missing_value' as code, _sid, _row, col, null as value,
        'The ' || label || ' is empty; every check-in needs one.' as message
    from rows,
        (values ('kr_id', 'key result id'), ('date', 'date')) as r(col, label)
    where (col = 'kr_id' and kr_id is null)
       or (col = 'date' and date_raw is null)
    union all
    -- a check-in may say only how it stands (a status, a confidence) or what happened (a
    -- comment): it counts as a check-in, with no value
    select 'error', 'missing_value', _sid, _row, 'value', null,
        'The value is empty, and the check-in has no status, confidence or comment either; '
        || 'every check-in needs one of them.'
    from rows
    where value_raw is null and status_raw is null and confidence_raw is null and comment is null
),
bad_date as (
    select 'error', 'bad_date', _sid, _row, 'date', date_raw,
        '''' || date_raw || ''' is not a date; write it like 2026-09-15.'
    from rows
    where date_raw is not null and date_any is null
),
bad_number as (
    select 'error', 'bad_number', _sid, _row, 'value', value_raw,
        okr_number_problem(value_raw)
    from rows
    where value_raw is not null and value is null and value_text is null
    union all
    select 'error', 'bad_number', _sid, _row, 'target_value', target_value_raw,
        okr_number_problem(target_value_raw)
    from rows
    where target_value_raw is not null and target_value is null
),
unknown_rows as materialized (
    select r._sid, r._row, r.kr_id
    from rows as r
    anti join (select distinct kr_id from stg_okrs where kr_id is not null) as k
        on k.kr_id = r.kr_id
    where r.kr_id is not null
),
shared_titles as (
    -- a name no id is that titles several key results (two teams' "NPS >40"), read only for
    -- the names no key result has
    select okr_title_key(coalesce(key_result, kr_id)) as key, count(distinct kr_id) as n,
        array_to_string(list_sort(list_distinct(list(kr_id)))[1:3], ', ')
            || case when count(distinct kr_id) > 3 then ', …' else '' end as ids
    from stg_okrs
    where kr_id is not null and exists (select 1 from unknown_rows)
      and okr_title_key(coalesce(key_result, kr_id)) in
          (select okr_title_key(kr_id) from unknown_rows)
    group by 1
),
unknown_kr as (
    select 'error', 'unknown_kr', u._sid, u._row, 'kr_id', u.kr_id,
        case when s.n > 1
            then 'Key result ' || u.kr_id || ' names ' || s.n || ' key results by their title ('
                || s.ids || '): the check-in is given to none. Write the id of the one it '
                || 'means here, or tell their titles apart.'
            else 'Key result ' || u.kr_id || ' is not in the okrs data. Add it to the okrs '
                || 'table or correct the id here.' end
    from unknown_rows as u
    left join shared_titles as s on s.key = okr_title_key(u.kr_id)
),
close_title as (
    select 'warning', 'kr_by_close_title', r._sid, r._row, 'kr_id', r.kr_close_title,
        'No key result is called ' || r.kr_close_title || ': the check-in is read as key result '
        || r.kr_id || ', the one whose title is closest. Correct the title if it means another.'
    from rows as r
    where r.kr_close_title is not null
),
outside_quarter as (
    select 'warning', 'checkin_outside_quarter', r._sid, r._row, 'date', r.date_raw,
        'The check-in date ' || strftime(r.date, '%d %b %Y') || ' is outside ' || krs.quarter
        || ' (' || strftime(krs.first_day, '%d %b %Y') || ' to '
        || strftime(krs.last_day, '%d %b %Y') || '), the quarter of key result ' || r.kr_id || '.'
    from rows as r
    join krs on krs.kr_id = r.kr_id  -- each quarter's first and last day computed once per KR
    where krs.first_day is not null and r.date is not null
      and (r.date < krs.first_day or r.date > krs.last_day)
),
rescoped_to_start as (
    -- a re-scoped target equal to the start is no error: it counts as reached once there
    select 'warning', 'target_equals_start', r._sid, r._row, 'target_value', r.target_value_raw,
        'The check-in re-scopes key result ' || r.kr_id || ' to a target equal to its start ('
        || trim(r.target_value_raw) || '): it counts as reached once its value is there.'
    from rows as r
    join (
        select kr_id, any_value(start_value) as start_value
        from stg_okrs
        where kr_id is not null and metric_type in ('increase', 'decrease')
        group by kr_id
    ) as k on k.kr_id = r.kr_id
    where r.target_value is not null and r.target_value = k.start_value
),
implausible_date as (
    select 'warning', 'implausible_date', _sid, _row, 'date', date_raw,
        'The date ' || date_raw || ' is implausible (before 1990 or after 2200); the check-in '
        || 'is left out. Check the year.'
    from rows
    where date is null and date_any is not null
),
in_future as (
    select 'warning', 'checkin_in_future', _sid, _row, 'date', date_raw,
        'The check-in date ' || strftime(date, '%d %b %Y') || ' is after today ('
        || strftime(current_date, '%d %b %Y') || '); it is kept but moves no default date. '
        || 'Check the year.'
    from rows
    where date > current_date
),
bad_confidence as (
    select 'warning', 'bad_confidence', _sid, _row, 'confidence', confidence_raw,
        '''' || confidence_raw || ''' is not a confidence on a 0-1, 0-10 or 0-100 scale; '
        || 'it is left empty.'
    from rows
    where confidence_raw is not null and confidence is null
),
unknown_status as (
    select 'warning', 'unknown_value', _sid, _row, 'status', status_raw,
        '''' || status_raw || ''' is not a known status (on_track, at_risk, off_track or '
        || 'green, amber, red); it is left empty.'
    from rows
    where status_raw is not null and not status_known
),
value_as_comment as (
    select 'warning', 'value_as_comment', _sid, _row, 'value', value_raw,
        '''' || value_raw || ''' is words, not a number: it is kept as the check-in''s comment, '
        || 'and the check-in counts (for staleness and confidence) with no value.'
    from rows
    where value_text is not null
),
same_day as (
    select 'warning', 'duplicate_checkin', _sid, _row, 'date', date_raw,
        'Key result ' || kr_id || ' has another check-in on ' || strftime(date, '%d %b %Y')
        || ' (row ' || first_row || okr_of_source(first_sid, _sid)
        || '); the later row is used (what it leaves empty, the '
        || 'earlier row gives).'
    from (
        -- the window runs only over the days that have more than one check-in
        select *, first_value(_row) over w as first_row, first_value(_sid) over w as first_sid,
            row_number() over w as n
        from rows
        semi join stg_checkin_days_twice using (kr_id, date)
        window w as (partition by kr_id, date order by _sid, _row)
    )
    where n > 1
),
final as (
    select * from required
    union all select * from bad_date
    union all select * from bad_number
    union all select * from unknown_kr
    union all select * from close_title
    union all select * from outside_quarter
    union all select * from rescoped_to_start
    union all select * from implausible_date
    union all select * from in_future
    union all select * from bad_confidence
    union all select * from unknown_status
    union all select * from value_as_comment
    union all select * from same_day
)
select * from final

-- stg_checkins: check-ins typed; confidence put on 0-1 by the scale its file uses; a key
-- result named by its title (a weekly-updates tab) is found by that title.
create or replace table stg_checkins as
with src as not materialized (
    select * from src_checkins
),
-- dates, confidences and statuses repeat: each distinct text is cleaned and read once, then
-- joined
dates as (
    select raw, _dayfirst, okr_clean(raw) as clean, okr_date_any(raw, _dayfirst) as date_any
    from (select distinct date as raw, _dayfirst from src where date is not null)
),
confidences as (
    -- a confidence in words is read here, once per distinct text: in the rows' projection the
    -- word lists (IN) became joins over every row, whatever the case around them said
    select raw, okr_clean(raw) as clean, okr_number(raw, 0) as number, contains(raw, '%') as pct,
        okr_confidence_word(okr_clean(raw)) as word
    from (select distinct confidence as raw from src where confidence is not null)
),
statuses as (
    select s.raw, okr_clean(s.raw) as clean, a.value, a.alias is not null as alias
    from (select distinct status as raw from src where status is not null) as s
    left join enum_alias as a on a.kind = 'status' and a.alias = okr_key(s.raw)
),
typed as (
    select
        src._sid,
        src._row,
        okr_clean(src.kr_id) as kr_id_raw,
        d.clean as date_raw,
        okr_plausible(d.date_any) as date,
        d.date_any,
        -- a number's text is only asked whether it is there: it is not trimmed
        case when okr_number(src.value, src._comma) is null then okr_clean(src.value) else src.value end
            as value_raw,
        okr_number(src.value, src._comma) as value_number,
        c.clean as confidence_raw,
        c.number as confidence_number,
        c.pct as confidence_pct,
        c.word as confidence_word_of_text,
        status.clean as status_raw,
        status.value as status_value,
        coalesce(status.alias, false) as status_alias,
        case when okr_number(src.target_value, src._comma) is null then okr_clean(src.target_value)
            else src.target_value end as target_value_raw,
        okr_number(src.target_value, src._comma) as target_value,
        okr_clean(src.comment) as comment,
        okr_person(okr_clean(src.author)) as author
    from src
    left join dates as d on d.raw = src.date and d._dayfirst = src._dayfirst
    left join confidences as c on c.raw = src.confidence
    left join statuses as status on status.raw = src.status
),
known_krs as (
    select distinct kr_id from stg_okrs where kr_id is not null
),
-- a check-in naming no known id names its key result by title (a weekly-updates tab): the
-- title as written in any case, spacing or punctuation (``okr_title_key``), else the one
-- title closest to it (same digits, a few letters apart), which checks_checkins warns about.
-- Only the distinct names that are no id are looked up, and only when there are some.
unresolved as (
    -- from the text (typed is not computed twice): each distinct name once
    select d.raw, okr_title_key(d.raw) as key
    from (
        -- each distinct cell cleaned once, not every row's
        select distinct okr_clean(kr_id) as raw from (select distinct kr_id from src)
    ) as d
    anti join known_krs as k on k.kr_id = d.raw
    where d.raw is not null
),
title_rows as materialized (
    -- the key results' titles, read only when some name is unresolved (materialized: else the
    -- title pattern below was pushed under this test and ran on every title of every import)
    select key_result as title, kr_id from stg_okrs
    where key_result is not null and kr_id is not null and exists (select 1 from unresolved)
    union
    select kr_id as title, kr_id from stg_okrs
    where kr_id is not null and exists (select 1 from unresolved)
),
kr_titles as (
    -- a key result's title, and its id where the sheet's ids are its titles (a KR column)
    select key, min(kr_id) as kr_id
    from (select okr_title_key(title) as key, kr_id from title_rows)
    where key <> ''
    group by key
    having count(distinct kr_id) = 1
),
by_key as (
    select u.raw, t.kr_id from unresolved as u join kr_titles as t on t.key = u.key
),
close_candidates as (
    select u.raw, t.kr_id, levenshtein(u.key, t.key) as d
    from unresolved as u
    join kr_titles as t
        on regexp_replace(u.key, '[^0-9]', '', 'g') = regexp_replace(t.key, '[^0-9]', '', 'g')
    where u.raw not in (select raw from by_key)
      and length(u.key) >= 6
      and levenshtein(u.key, t.key) <= greatest(2, length(t.key) // 5)
),
close_best as (
    -- the closest title, when one alone is closest
    select raw, min(kr_id) as kr_id
    from close_candidates as c
    where d = (select min(d) from close_candidates as c2 where c2.raw = c.raw)
    group by raw
    having count(distinct kr_id) = 1
),
titled as (
    select raw, kr_id, false as close from by_key
    union all
    select raw, kr_id, true as close from close_best
),
resolved as (
    -- the rare cells that are no id, number or status word: titles, zones, emoji, words
    select
        typed.* exclude (kr_id_raw, value_number, status_value, status_alias, target_value,
            confidence_word_of_text),
        -- (only a name that is no known id has a title: titled holds no other)
        coalesce(t.kr_id, typed.kr_id_raw) as kr_id,
        case when t.close then typed.kr_id_raw end as kr_close_title,
        case
            when typed.value_number is not null or typed.value_raw is null
                then typed.value_number
            else case z.value
                when 'stretch' then $zone_stretch when 'target' then $zone_target
                when 'commit' then $zone_commit when 'miss' then 0.0
                when 'done' then 1.0 when 'not_done' then 0.0
                else okr_fraction(typed.value_raw, 1) end
        end as value,
        -- a value written as a count of how many (3/5, 60 of 100): the second number is the
        -- target in force, unless the check-in gives its own
        case
            when typed.target_value is not null or typed.target_value_raw is not null
                or typed.value_number is not null or typed.value_raw is null
                then typed.target_value
            else okr_fraction(typed.value_raw, 2)
        end as target_value,
        case when typed.confidence_number is null and typed.confidence_raw is not null
            then typed.confidence_word_of_text end as confidence_word,
        case
            when typed.status_alias or typed.status_raw is null then typed.status_value
            else okr_emoji_status(typed.status_raw)
        end as status,
        typed.status_alias or (typed.status_raw is not null
            and okr_emoji_status(typed.status_raw) is not null) as status_known
    from typed
    left join titled as t on t.raw = typed.kr_id_raw
    left join enum_alias as z  -- the key only of cells that are no number
        on z.kind = 'mark'
        and z.alias = case when typed.value_number is null then okr_key(typed.value_raw) end
),
scales as (
    -- the confidence scale each file uses, from its distinct confidences written without '%'
    -- (a file without any is on 0-1)
    select
        s._sid,
        case
            when max(c.number) filter (where not c.pct) > 10 then 100.0
            when max(c.number) filter (where not c.pct) > 1 then 10.0
            when bool_and(c.pct) then 100.0
            else 1.0
        end as confidence_scale
    from (select distinct _sid, confidence from src where confidence is not null) as s
    join confidences as c on c.raw = s.confidence
    group by s._sid
),
scaled as (
    select
        resolved.*,
        coalesce(scales.confidence_scale, 1.0) as confidence_scale,
        -- a value that is words and no number (+3 customers, "two new logos") is what the
        -- check-in says: it is (the start of) its comment, and the check-in has no value
        -- (the pattern is asked only of the rare cells that are no number)
        case when resolved.value is null and resolved.value_raw is not null then
            case when okr_is_text(resolved.value_raw) then resolved.value_raw end
        end as value_text
    from resolved
    left join scales using (_sid)
),
final as (
    select
        -- what only typed the confidence is not kept (less to hold for 6M rows at 20,000 teams)
        * exclude (confidence_pct, comment, confidence_number, confidence_word, confidence_scale),
        case when value_text is not null
            then concat_ws('; ', value_raw, comment) else comment end as comment,
        case
            -- a confidence written with '%' is on 0-100 whatever the file's other numbers
            -- (a workbook's percent-formatted cell holds 0.7 beside a typed '80%')
            when confidence_pct and confidence_number between 0 and 100
                then confidence_number / 100.0
            when confidence_number / confidence_scale between 0 and 1
                then confidence_number / confidence_scale
            else confidence_word
        end as confidence
    from scaled
)
select * from final;
-- the key result days with more than one check-in, found once for the duplicate warning and
-- for keeping the last row of such a day (few, so the windows over them are small)
-- (the days are first grouped by a hash of the pair, a number, then the few candidates by
-- their text: grouping 600,000 texts took 0.19 s at 2,000 teams)
create or replace table stg_checkin_days_twice as
with days as not materialized (
    select kr_id, date, hash(kr_id, date) as h
    from stg_checkins
    where kr_id is not null and date is not null
)
select kr_id, date
from days
where h in (select h from days group by h having count(*) > 1)
group by all
having count(*) > 1;

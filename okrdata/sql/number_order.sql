-- number_order: per source, whether its numbers show a decimal comma (30,5  1.200,50) and
-- none shows a decimal point after grouping commas (1,234.50  1,234,567): then a lone comma
-- is its decimal mark, 1,234 included. (only texts with a comma, each distinct one once)
with texts as (
    select distinct _sid, start_value as t from raw_src_okrs where contains(start_value, ',')
    union select distinct _sid, target_value from raw_src_okrs where contains(target_value, ',')
    union select distinct _sid, current_value from raw_src_okrs where contains(current_value, ',')
    union select distinct _sid, progress from raw_src_okrs where contains(progress, ',')
    union select distinct _sid, value from raw_src_checkins where contains(value, ',')
    union select distinct _sid, target_value from raw_src_checkins where contains(target_value, ',')
),
bare as (
    select _sid, regexp_replace(lower(trim(t)), '[\s\v$€£¥%()+-]|[kmb]$', '', 'g') as s
    from texts
)
select
    _sid,
    bool_or(regexp_full_match(s, '\d{1,3}(\.\d{3})+,\d+')
        or regexp_full_match(s, '\d+,(\d{1,2}|\d{4,})')) as comma_seen,
    bool_or(regexp_full_match(s, '\d{1,3}(,\d{3})+\.\d+')
        or regexp_full_match(s, '\d{1,3}(,\d{3}){2,}')) as point_seen
from bare
group by _sid

-- ds_checkins: usable check-ins of known key results, one per key result and day (last row
-- wins); a check-in of a key result spanning quarters belongs to the copy of the quarter it is
-- dated in (else the last copy that started before it, else the first).
with usable as (
    select c.*
    from stg_checkins as c
    where c.date is not null and c.value is not null
      and c.kr_id in (select kr_id from stg_kr_quarters)
    qualify row_number() over (partition by c.kr_id, c.date order by c._sid desc, c._row desc) = 1
),
placed as (
    select
        u.*,
        coalesce(
            max(q.kr_copy) filter (
                where okr_quarter_start(q.quarter, $fiscal_start_month) <= u.date),
            min(q.kr_copy)
        ) as kr_copy
    from usable as u
    join stg_kr_quarters as q using (kr_id)
    group by all
)
select kr_copy as kr_id, date, value, confidence, status, target_value, comment, author
from placed
order by kr_id, date

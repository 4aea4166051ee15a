-- ds_checkins: usable check-ins of known key results, one per key result and day (last row wins).
select c.kr_id, c.date, c.value, c.confidence, c.status, c.target_value, c.comment, c.author
from stg_checkins as c
semi join (select kr_id from stg_okrs where kr_id is not null) as k on k.kr_id = c.kr_id
where c.date is not null and c.value is not null
qualify row_number() over (partition by c.kr_id, c.date order by c._sid desc, c._row desc) = 1
order by c.kr_id, c.date

-- Goals the teams adjusted between imports. For each objective and key result in force, every
-- change from one batch that held it to the next one that held it, up to the batch in force:
--   'period': an objective's quarter, or a key result's when it moved to an objective of
--             another quarter (a key result that moved with its objective is not repeated);
--   'target': a key result's target_value.
-- old and new are text: quarters ('2026-Q3'), or targets as DuckDB writes a number ('80.0';
-- null: none given). imported_at is the later batch's import time. Newest batch first.
with objective_held as (
    select o.objective_id, o.batch_id,
        string_agg(distinct o.quarter, ', ' order by o.quarter) as quarter
    from objectives as o
    where o.objective_id is not null
    group by o.objective_id, o.batch_id
),
objective_in_force as (
    select a.objective_id, max(a.batch_id) as batch_id
    from active_objectives as a
    group by a.objective_id
),
objective_steps as (
    select h.objective_id, h.batch_id, h.quarter,
        lag(h.quarter) over w as quarter_before,
        row_number() over w as n
    from objective_held as h
    join objective_in_force as f on f.objective_id = h.objective_id and h.batch_id <= f.batch_id
    window w as (partition by h.objective_id order by h.batch_id)
),
kr_in_force as (
    select a.kr_id, max(a.batch_id) as batch_id
    from active_key_results as a
    group by a.kr_id
),
kr_steps as (
    select k.kr_id, k.batch_id, k.objective_id, k.target_value, q.quarter,
        lag(k.objective_id) over w as objective_before,
        lag(k.target_value) over w as target_before,
        lag(q.quarter) over w as quarter_before,
        row_number() over w as n
    -- (a key result spanning quarters has a row per quarter in a batch: it is one key result)
    from (select distinct kr_id, batch_id, objective_id, target_value from key_results) as k
    join kr_in_force as f on f.kr_id = k.kr_id and k.batch_id <= f.batch_id
    left join objective_held as q on q.objective_id = k.objective_id and q.batch_id = k.batch_id
    window w as (partition by k.kr_id order by k.batch_id)
),
changes as (
    select 'period' as kind, s.objective_id, null::varchar as kr_id,
        s.quarter_before as old, s.quarter as new, s.batch_id
    from objective_steps as s
    where s.n > 1 and s.quarter is distinct from s.quarter_before
    union all
    select 'target', s.objective_id, s.kr_id,
        cast(s.target_before as varchar), cast(s.target_value as varchar), s.batch_id
    from kr_steps as s
    where s.n > 1 and s.target_value is distinct from s.target_before
    union all
    select 'period', s.objective_id, s.kr_id, s.quarter_before, s.quarter, s.batch_id
    from kr_steps as s
    where s.n > 1 and s.objective_id is distinct from s.objective_before
      and s.quarter is distinct from s.quarter_before
)
select c.kind, c.objective_id, c.kr_id, c.old, c.new, b.imported_at, c.batch_id
from changes as c
join batches as b on b.batch_id = c.batch_id
order by c.batch_id desc, c.objective_id, c.kr_id nulls first, c.kind

-- period_labels: every distinct period label of the inputs, to be read by periods.py.
select distinct label
from (
    select okr_clean(quarter) as label from raw_src_okrs
    union all
    select okr_clean(kr_quarter) from raw_src_okrs
    union all
    select okr_clean(quarter) from raw_src_dependencies
)
where label is not null

-- checks_okrs_gates: which checks of checks_okrs can find a row, one column per check (named
-- as its CTE there): each is true when a row meets a condition that every row the check lists
-- meets (the check's own filter, or a looser one), so a false one lists nothing and is left
-- out of the query (staging.check). Binding every check costs tens of milliseconds where a
-- small import finds a few problems or none.
select
    bool_or(period_kind = 'bad' and quarters is null) as bad_quarter,
    bool_or(objective_id is not null and quarters is null
            and period_kind is distinct from 'bad') as no_quarter,
    bool_or(kr_quarter_raw is not null and kr_own_quarters is null
            and kr_id is not null) as kr_period,
    bool_or(objective_id_derived or kr_id_derived) as derived_ids,
    bool_or(length(objective) > 1000 or length(key_result) > 1000) as long_titles,
    bool_or((start_value_raw is not null and start_value_given is null)
            or (target_value_raw is not null and target_value_given is null)
            or (current_value_raw is not null and current_number is null
                and current_mark is null)
            or (progress_raw is not null and progress_number is null)
            or (weight_raw is not null and weight_given is null)) as bad_number,
    bool_or(weight_given < 0) as negative_weight,
    bool_or(kr_id is not null and metric_type in ('increase', 'decrease')
            and target_value = start_value) as target_is_start,
    count(kr_id) > count(distinct kr_id) as duplicate_kr,
    -- an objective id with two teams, or two quarters, on its rows
    count(distinct (objective_id, team, quarter)) filter (where objective_id is not null)
        > count(distinct objective_id) as objective_conflicts,
    bool_or(parent_objective_id is not null) as unknown_parent,
    bool_or((okr_type_raw is not null and okr_type is null)
            or (level_raw is not null and level is null)
            or (origin_raw is not null and origin is null)
            or (metric_type_raw is not null and metric_class is null)) as unknown_values,
    bool_or(current_as_of_raw is not null and current_as_of is null) as bad_as_of,
    bool_or(quarter_raw in (select raw from period_map where note is not null))
        as fiscal_dated
from stg_okrs

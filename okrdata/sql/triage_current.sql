-- The triage in force (SQLite): each signal's latest action, unless that was a reopening.
-- An action recorded before one id per objective names a goal spanning quarters by its copy
-- of the quarter, "<id>@<quarter>": it is the action of "<id>" in that quarter.
with unified as (
    select
        a.action_id, a.quarter, a.signal, a.team,
        case when a.objective_id = '' then '' when a.objective_id like '%@' || a.quarter
            then substr(a.objective_id, 1, length(a.objective_id) - length(a.quarter) - 1)
            else a.objective_id end as objective_id,
        case when a.kr_id = '' then '' when a.kr_id like '%@' || a.quarter
            then substr(a.kr_id, 1, length(a.kr_id) - length(a.quarter) - 1)
            else a.kr_id end as kr_id,
        a.action, a.note, a.snoozed_until, a.severity, a.evidence_number, a.by_user,
        a.recorded_at
    from triage_actions as a
),
ranked as (
    select
        a.quarter, a.signal, a.team, a.objective_id, a.kr_id, a.action, a.note,
        a.snoozed_until, a.severity, a.evidence_number, a.by_user, a.recorded_at,
        row_number() over (
            partition by a.quarter, a.signal, a.team, a.objective_id, a.kr_id
            order by a.recorded_at desc, a.action_id desc
        ) as n
    from unified as a
),

final as (
    select
        quarter, signal, team, objective_id, kr_id, action, note, snoozed_until, severity,
        evidence_number, by_user, recorded_at
    from ranked
    where n = 1 and action <> 'reopen'
)

select * from final order by quarter, team, signal, objective_id, kr_id

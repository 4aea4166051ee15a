-- The triage in force (SQLite): each signal's latest action, unless that was a reopening.
with ranked as (
    select
        a.quarter, a.signal, a.team, a.objective_id, a.kr_id, a.action, a.note,
        a.snoozed_until, a.severity, a.evidence_number, a.by_user, a.recorded_at,
        row_number() over (
            partition by a.quarter, a.signal, a.team, a.objective_id, a.kr_id
            order by a.recorded_at desc, a.action_id desc
        ) as n
    from triage_actions as a
),

final as (
    select
        quarter, signal, team, objective_id, kr_id, action, note, snoozed_until, severity,
        evidence_number, by_user, recorded_at
    from ranked
    where n = 1 and action <> 'reopen'
)

select * from final order by quarter, team, signal, objective_id, kr_id

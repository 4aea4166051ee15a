-- The triage in force: each signal's latest action, unless that was a reopening.
with latest as (
    select
        a.quarter, a.signal, a.team, a.objective_id, a.kr_id, a.action, a.note,
        a.snoozed_until, a.severity, a.evidence_number, a.by_user, a.recorded_at
    from triage_actions as a
    qualify row_number() over (
        partition by a.quarter, a.signal, a.team, a.objective_id, a.kr_id
        order by a.recorded_at desc, a.action_id desc
    ) = 1
),

final as (
    select * from latest where action <> 'reopen'
)

select * from final order by quarter, team, signal, objective_id, kr_id

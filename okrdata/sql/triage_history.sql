-- Every triage action, newest first (SQLite).
select
    a.action_id, a.quarter, a.signal, a.team, a.objective_id, a.kr_id, a.action, a.note,
    a.snoozed_until, a.severity, a.evidence_number, a.by_user, a.recorded_at
from triage_actions as a
order by a.recorded_at desc, a.action_id desc

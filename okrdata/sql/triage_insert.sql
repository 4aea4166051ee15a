-- Record one triage action on one signal (SQLite; one statement, its own transaction).
insert into triage_actions (
    quarter, signal, team, objective_id, kr_id, action, note, snoozed_until, severity,
    evidence_number, by_user, recorded_at
)
values (
    :quarter, :signal, :team, :objective_id, :kr_id, :action, :note, :snoozed_until,
    :severity, :evidence_number, :by_user, :recorded_at
);

-- Coaches' triage (SQLite, WAL): every acknowledgement, snooze and reopening of a signal, never
-- updated. A signal is (quarter, signal, team, objective_id, kr_id); '' stands for no objective
-- or KR. Dates are ISO text (snoozed_until 'YYYY-MM-DD', recorded_at 'YYYY-MM-DD HH:MM:SS.ffffff').
create table if not exists triage_actions (
    action_id integer primary key autoincrement,
    quarter text not null,
    signal text not null,
    team text not null,
    objective_id text not null,
    kr_id text not null,
    action text not null check (action in ('acknowledge', 'snooze', 'reopen')),
    note text,
    snoozed_until text,
    severity text not null,        -- the signal's severity when the action was taken
    evidence_number real,          -- the number "worse" is measured against (may be null)
    by_user text not null,
    recorded_at text not null
);
-- Files whose actions were copied in (the DuckDB triage file of earlier versions), once each.
create table if not exists triage_migrations (
    source text primary key,
    actions integer not null,
    migrated_at text not null
);

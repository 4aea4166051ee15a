-- Coaches' triage: every acknowledgement, snooze and reopening of a signal, never updated.
-- A signal is (quarter, signal, team, objective_id, kr_id); '' stands for no objective or KR.
create sequence if not exists triage_seq start 1;
create table if not exists triage_actions (
    action_id bigint primary key default nextval('triage_seq'),
    quarter varchar not null,
    signal varchar not null,
    team varchar not null,
    objective_id varchar not null,
    kr_id varchar not null,
    action varchar not null check (action in ('acknowledge', 'snooze', 'reopen')),
    note varchar,
    snoozed_until date,
    severity varchar not null,        -- the signal's severity when the action was taken
    evidence_number double,           -- the number "worse" is measured against (may be null)
    by_user varchar not null,
    recorded_at timestamp not null
);

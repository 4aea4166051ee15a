-- checks_dependencies: problems of the dependencies input.
create or replace table checks as
with rows as (
    select * from stg_dependencies
),
known_teams as (
    select team from stg_okrs where team is not null
    union select team from stg_teams where team is not null
),
known_krs as (
    select kr_id from stg_okrs where kr_id is not null
),
required as (
    select 'error' as severity, 'missing_value' as code, _sid, _row, col, null as value,
        'The ' || label || ' is empty; every dependency needs one.' as message
    from rows, (values ('team', 'team'), ('depends_on_team', 'team depended on')) as r(col, label)
    where (col = 'team' and team is null) or (col = 'depends_on_team' and depends_on_team is null)
),
bad_values as (
    select 'error', 'bad_date', _sid, _row, 'due_date', due_date_raw,
        '''' || due_date_raw || ''' is not a date; write it like 2026-09-15.'
    from rows where due_date_raw is not null and due_date_any is null
    union all
    select 'warning', 'implausible_date', _sid, _row, 'due_date', due_date_raw,
        'The due date ' || due_date_raw || ' is implausible (before 1990 or after 2200); it is '
        || 'left empty.'
    from rows where due_date is null and due_date_any is not null
    union all
    select 'error', 'bad_quarter', _sid, _row, 'quarter', quarter_raw,
        '''' || quarter_raw || ''' is not a quarter; write it like 2026-Q3 (Q1-Q4).'
    from rows where quarter_raw is not null and quarter is null
    union all
    select 'warning', 'unknown_value', _sid, _row, 'status', status_raw,
        '''' || status_raw || ''' is not a known dependency status (open, committed, done, '
        || 'blocked); open is used.'
    from rows where status_raw is not null and status is null
),
unknown_refs as (
    select 'warning', 'unknown_team', _sid, _row, col, name,
        'Team ' || name || ' has no objectives and is not in the teams table.'
    from rows, (values ('team'), ('depends_on_team')) as c(col),
        lateral (select case col when 'team' then team else depends_on_team end as name)
    where name is not null and name not in (select team from known_teams)
      and exists (select 1 from known_teams)
    union all
    select 'warning', 'unknown_kr', _sid, _row, col, kr,
        'Key result ' || kr || ' is not in the okrs data; the link is ignored.'
    from rows, (values ('kr_id'), ('depends_on_kr_id')) as c(col),
        lateral (select case col when 'kr_id' then kr_id else depends_on_kr_id end as kr)
    where kr is not null and kr not in (select kr_id from known_krs)
    union all
    select 'warning', 'self_dependency', _sid, _row, 'depends_on_team', depends_on_team,
        'Team ' || team || ' depends on itself.'
    from rows where team = depends_on_team
),
final as (
    select * from required
    union all select * from bad_values
    union all select * from unknown_refs
)
select * from final

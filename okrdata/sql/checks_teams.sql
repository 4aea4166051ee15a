-- checks_teams: problems of the teams input.
create or replace table checks as
with rows as (
    select * from stg_teams
),
final as (
    select 'error' as severity, 'missing_value' as code, _sid, _row, 'team' as col,
        null as value, 'The team name is empty.' as message
    from rows where team is null
    union all
    select 'warning', 'duplicate_id', _sid, _row, 'team', team,
        'Team ' || team || ' is listed again (first on row ' || first_row
        || okr_of_source(first_sid, _sid)
        || '); the first row is used.'
    from (
        select *, first_value(_row) over w as first_row, first_value(_sid) over w as first_sid,
            row_number() over w as n
        from rows where team is not null
        window w as (partition by team order by _sid, _row)
    )
    where n > 1
    union all
    select 'warning', 'unknown_team', _sid, _row, 'parent_team', parent_team,
        'Parent team ' || parent_team || ' is not in the teams table.'
    from rows
    where parent_team is not null and parent_team not in (select team from rows where team is not null)
    union all
    select 'warning', 'department_conflict', o._sid, o._row, 'department', o.department,
        'Team ' || o.team || ' is in ' || o.department || ' here but in ' || t.department
        || ' in the teams table; the teams table''s department is used everywhere.'
    from (
        select * from stg_okrs
        where team is not null and department is not null
        qualify row_number() over (partition by team, department order by _sid, _row) = 1
    ) as o
    join (
        select team, department from rows
        where team is not null and department is not null
        qualify row_number() over (partition by team order by _sid, _row) = 1
    ) as t on t.team = o.team
    where o.department <> t.department
)
select * from final

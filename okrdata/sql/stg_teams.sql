-- stg_teams: the optional org chart.
create or replace table stg_teams as
with src as (
    select * from src_teams
),
final as (
    select
        src._sid,
        src._row,
        okr_clean(src.team) as team,
        okr_clean(src.department) as department,
        okr_clean(src.parent_team) as parent_team,
        okr_clean(src.lead) as lead
    from src
)
select * from final;

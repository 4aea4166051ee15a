-- checks_checkins_gates: which checks of checks_checkins can find a row, one column per check
-- (named as its CTE there), as checks_okrs_gates does for the okrs: true when a row meets a
-- condition every row the check lists meets; a false one's check is left out of the query.
select
    bool_or(date_raw is not null and date_any is null) as bad_date,
    bool_or((value_raw is not null and value is null and value_text is null)
            or (target_value_raw is not null and target_value is null)) as bad_number,
    bool_or(kr_close_title is not null) as close_title,
    bool_or(target_value is not null) as rescoped_to_start,
    bool_or(date is null and date_any is not null) as implausible_date,
    bool_or(date > current_date) as in_future,
    bool_or(confidence_raw is not null and confidence is null) as bad_confidence,
    bool_or(status_raw is not null and not status_known) as unknown_status,
    bool_or(value_text is not null) as value_as_comment,
    exists (select 1 from stg_checkin_days_twice) as same_day
from stg_checkins

-- src_tables: each input table's sources with the date order and decimal mark detected for
-- each file.
create or replace view src_okrs as
select r.*, coalesce(o.dayfirst, false) as _dayfirst,
    coalesce(o.decimal_comma, 0) as _comma
from raw_src_okrs as r left join source_order as o using (_sid);
create or replace view src_checkins as
select r.*, coalesce(o.dayfirst, false) as _dayfirst,
    coalesce(o.decimal_comma, 0) as _comma
from raw_src_checkins as r left join source_order as o using (_sid);
create or replace view src_dependencies as
select r.*, coalesce(o.dayfirst, false) as _dayfirst
from raw_src_dependencies as r left join source_order as o using (_sid);
create or replace view src_teams as
select r.*, coalesce(o.dayfirst, false) as _dayfirst
from raw_src_teams as r left join source_order as o using (_sid);
create or replace view src_work as
select r.*
from raw_src_work as r

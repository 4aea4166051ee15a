-- triage_has_schema: whether the triage file already holds its table (read-only check).
select count(*) from duckdb_tables() where table_name = 'triage_actions'

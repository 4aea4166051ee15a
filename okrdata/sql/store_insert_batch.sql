-- Record a new import batch: who, when, which files, which quarters, how many rows per table.
insert into batches (
    batch_id, imported_at, imported_by, files, content_hash, quarters,
    rows_objectives, rows_key_results, rows_checkins, rows_dependencies, rows_teams
)
values (
    $batch_id, now()::timestamp, $imported_by, $files, $content_hash, $quarters,
    $rows_objectives, $rows_key_results, $rows_checkins, $rows_dependencies, $rows_teams
)

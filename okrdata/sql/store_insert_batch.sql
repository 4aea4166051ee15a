-- Record an import batch: when, who, its files, content hash, quarters and row counts.
insert into batches (
    batch_id, imported_at, imported_by, files, content_hash, quarters,
    rows_objectives, rows_key_results, rows_checkins, rows_dependencies, rows_teams, ledger
)
values (
    $batch_id, $imported_at, $imported_by, $files, $content_hash, $quarters,
    $rows_objectives, $rows_key_results, $rows_checkins, $rows_dependencies, $rows_teams, $ledger
)

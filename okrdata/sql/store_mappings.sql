-- store_mappings: column mappings analysts confirmed, by the exact header they were made for.
create table if not exists mappings (
    header varchar primary key,      -- JSON list of the file's column names, in order
    mapping varchar not null,        -- JSON {canonical column: file column}
    saved_at timestamp not null
)

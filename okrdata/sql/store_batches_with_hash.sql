-- Earlier batches with the same content hash, newest first, with the quarters they contain.
select b.batch_id, b.quarters
from batches as b
where b.content_hash = $content_hash
order by b.batch_id desc

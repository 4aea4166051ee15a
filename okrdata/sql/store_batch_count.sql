-- How many imports the store holds (0 on an empty store).
select count(*) as batches
from batches

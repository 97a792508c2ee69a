"""The offer search index: the open offers as numpy columns and posting lists, so a search counts, filters,
facets and sorts every match in a few milliseconds on a million offers — where the databases' full-text
indexes (FTS5, tsvector) cost 100-200 ms for a common word around a city (docs/offers.md "Search index").

segment.py: one read of the offers as arrays; store.py: the saved base, the change log and each process's
copy; query.py: a search on them, with the database search's results contract."""

"""All build state in one place: parsed sources, rendered pages, the reads they made, the last build's record,
the image and document results (their files beside the store, products.py).

On disk for `samizdat build` (one SQLite file per site in the user's cache folder, store.py), in memory for
`serve`, which keeps the same objects between saves, and with them its memos of pure work (memos.py).
`BuildCaches` (caches.py) gathers the caches a build opens; the package itself defines nothing, so "nothing
changed" reads the store and its record (record.py) without importing the rest.
"""

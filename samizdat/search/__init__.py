"""Static full-text search: an index per language written as small chunk files at build time, read by the
theme's search script (or `samizdat search`) without a server, a third party, WebAssembly or `fetch()`.

normalise.py folds text; korean.py and stemming.py make the terms; tokens.py ties them together for
both sides; documents.py turns pages into searchable records; chunks.py packs data into files a
browser can read from `file://`; index.py builds the files; query.py runs the matching; stage.py is
the build's entry point. docs/search.md explains the design and its limits.
"""

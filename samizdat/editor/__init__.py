"""`samizdat edit`: an editor in the browser over a site folder, for volunteers who do not use git.

The app (app.py) is assembled from small route modules (pages, meetings, photos, status, publish) over
one guard layer: who may come in (auth.py), which POSTs are really from the editor's own pages
(csrf.py), and where a write may go (files.py). The preview is the dev server's engine (serve/), so
what the editor shows is the real build. docs/editor.md says what it protects and what not.
"""

"""What the build writes: pages, static files, and later feeds, calendars and sitemaps."""

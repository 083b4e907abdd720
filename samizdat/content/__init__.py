"""Content: discover source files, read front matter, build Page objects and translation groups."""

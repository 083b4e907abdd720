"""`samizdat check`: findings about a built site, each pointing at the source file and line to fix."""

"""Languages' UI strings and their ways of writing dates."""

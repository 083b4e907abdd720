"""The build: the pipeline and the single writer of the output folder."""

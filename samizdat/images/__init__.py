"""Every raster image that reaches the output: read, masked, stripped, resized, encoded, verified."""

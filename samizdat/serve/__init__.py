"""The development server: serve the site from memory, rebuild on change, reload the browser."""

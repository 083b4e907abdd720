"""Getting a built site to readers: relative mirrors, git and rsync deploys, archives, onion, precompression."""

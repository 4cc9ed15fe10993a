"""The `studio` command line: the same core as the desktop app, for batch use, scripts and tests."""

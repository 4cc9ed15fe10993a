"""Help ▸ About: the app's icon and version, and the diagnostics report for bug reports."""

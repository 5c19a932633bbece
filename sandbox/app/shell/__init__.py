"""The shell: entry point, Qt start-up, the main window that puts the rooms together."""

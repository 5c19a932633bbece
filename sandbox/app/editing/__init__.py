"""Undo commands and the clipboard: every edit the app makes to a scenario."""

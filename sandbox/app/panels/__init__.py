"""The editing docks: inspector, treaty list and facilitator notes."""

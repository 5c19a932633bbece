"""The live run: controller, timeline, event log, charts and the run's exports."""

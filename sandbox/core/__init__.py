"""Pure-Python core: scenario model, file format, engine, metrics. Never imports Qt."""

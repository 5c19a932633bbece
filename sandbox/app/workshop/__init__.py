"""Workshop mode: presenter mode, welcome and tour, what-if, experiments, debrief pack."""

"""File formats of the core: .sandbox files, graphs (GraphML, GEXF, node-link JSON),
Correlates of War data and CSV tables."""

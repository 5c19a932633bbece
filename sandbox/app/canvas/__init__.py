"""The canvas: the map of states and treaties, its graphics items, its tools and legend."""

"""Colours, fonts and palettes every room draws with."""

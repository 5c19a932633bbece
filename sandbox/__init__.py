"""Collective Security Sandbox: draw states and treaties, trigger an attack,
watch defence obligations cascade."""

__version__ = "0.1.0"

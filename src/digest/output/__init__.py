"""Outputs: the store, the rendered digest pages, and evaluation against references."""

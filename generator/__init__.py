"""Yozmot: load, validate and link the knowledge base's content, and build its site."""

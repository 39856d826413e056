"""Stages 1–3: the content folder read, checked and linked into one graph (load → validate → resolve)."""

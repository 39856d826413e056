"""Stages 5–9: the docs tree built into a complete site (write, build, index, post-build, bundle) and swapped in."""

"""Stage 4: the checked graph rendered into the docs tree: pages, data files and feeds."""

"""Maintenance commands for the files generated from the project's own sources, all with one interface
(`generated.main`): no flag prints what would change, `--check` exits 1 when a file is stale, `--write`
rewrites it. `python -m tools` runs the documents' generators (`make docs`); the pinned headline
numbers have their own command, since writing them is a reviewed step (`make pin`)."""

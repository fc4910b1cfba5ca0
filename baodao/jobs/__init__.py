"""Work that spans generation, intake, the store and the tally: what the CLI and the workbench both run."""

"""The clerks' workbench (`baodao serve`): server-made pages over the library, errors in Chinese."""

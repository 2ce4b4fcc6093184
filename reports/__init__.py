"""Generated prose and files (docs/METHODS.md): built from model/, shown by the app and written by `make docs`."""

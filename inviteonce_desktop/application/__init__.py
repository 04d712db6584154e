"""The application facade: the one door the UI and the CLI use."""

"""Formats that the feeds, the API and replay all produce: incident JSON, EIDO, PIDF-LO."""

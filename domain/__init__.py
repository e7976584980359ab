"""Siaga112's domain model: pure aggregates, events and values (no I/O, no clock)."""

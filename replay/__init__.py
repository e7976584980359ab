"""Audit replay: timelines, state as at any moment, rebuild checks, tamper evidence."""

"""Siaga112's application layer: the DispatchCenter, its adapters and entry points."""

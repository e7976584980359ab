"""Siaga112's application: the DispatchCenter, its ports, the present and the feeds."""

"""The HTTP and websocket edge of Siaga112."""

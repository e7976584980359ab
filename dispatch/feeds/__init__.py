"""Live feeds: one shared subscription per process, fanned out to websocket clients."""

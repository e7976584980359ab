"""Entry points: the HTTP API and websockets, and the siaga112 command. Nothing imports them."""

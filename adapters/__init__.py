"""Siaga112's adapters: the event store on SQLite and PostgreSQL (recorders, the prompt
PostgreSQL factory, the present's checkpoint, status links), the classifier and the routing
engine behind the application's ports, the tokens file, and ``build_center``, which builds the
application with them."""

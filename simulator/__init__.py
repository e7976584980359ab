"""A shift simulator: plays a realistic 112 shift through a real server and checks safety.

It speaks to the server only over HTTP and websockets, as the console and the agencies do, and
imports nothing of the server but the taxonomy (``domain``). Modules: ``traffic`` (what calls
come, when), ``phrases`` (what callers say), ``client`` (the HTTP and websocket client, with the
console's report body), ``shift`` (the operators, agencies and units at work), ``invariants``
and ``deadlines`` (the checks), ``report`` (the shift report) and ``cli``.
"""

"""Read models built from the event log (boards, caller history, KPIs, audit chain)."""

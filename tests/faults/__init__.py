"""Fault tests: killed workers, restarted Redis and PostgreSQL (make faults)."""

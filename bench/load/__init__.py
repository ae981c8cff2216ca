"""The load test (issue 6 §3): Locust against gunicorn on PostgreSQL (``make load``)."""

"""Benchmarks for Procuracy; results and how to reproduce them are in docs/PERFORMANCE.md.

- ``python -m bench.generate``: a database with the demo province and many cases;
- ``python -m bench.scope_bench``: what ``tenants/scope.py`` costs (scenario 1);
- ``python -m bench.all`` (``make bench``): every scenario, figures as ratios to baselines;
- ``python -m bench.web_workers``: gunicorn throughput by process count (docs/SCALING.md).

Nothing here runs at import time.
"""

"""gunicorn settings for Procuracy behind nginx: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Environment (besides the app's own, see docs/DEPLOY.md):
- ``BIND`` (default ``127.0.0.1:8000``): where nginx proxies to;
- ``WEB_CONCURRENCY`` (gunicorn's own; default ``2 × cores + 1``): worker processes;
- ``FORWARDED_ALLOW_IPS`` (default ``127.0.0.1``): who gunicorn believes about
  X-Forwarded-Proto (https), i.e. nginx's address as gunicorn sees it.

The client address and scheme behind nginx are the app's business: ``TRUSTED_PROXIES=1``
in the environment (``procuracy/security.py``: Werkzeug's ProxyFix, so sign-in throttling
counts the real client address and HSTS is sent on HTTPS).
"""
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# The Excel export of a large filtered set runs in the request (docs/PERFORMANCE.md,
# scenario 2c: ~30 s for 10,000 rows on a loaded machine); nginx waits as long.
timeout = 300
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"  # stdout: journald under systemd
errorlog = "-"
# address, X-Forwarded-For (the client behind nginx), request, status, bytes, duration
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "procuracy-web"

#!/bin/sh
# One RQ worker for procuracy-worker@QUEUE[-N].service (or by hand: deploy/bin/worker.sh pdf).
# Needs REDIS_URL, DATABASE_URL, REPORT_STORE, ... in the environment (docs/DEPLOY.md).
set -eu
instance=${1:?usage: worker.sh QUEUE[-N]   (QUEUE: default or pdf)}
queue=${instance%%-*}
case "$queue" in
  default|pdf) ;;
  *) echo "worker.sh: unknown queue '$queue' (jobs/registry.py has default, pdf)" >&2; exit 2 ;;
esac
: "${REDIS_URL:?set REDIS_URL}"
here=$(cd "$(dirname "$0")/../.." && pwd)
exec "$here/.venv/bin/rq" worker -w jobs.runner.Worker --url "$REDIS_URL" "$queue"

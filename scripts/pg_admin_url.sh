#!/usr/bin/env bash
# Print an admin URL for a PostgreSQL server on localhost if one answers; nothing otherwise.
# make test uses it to run the suite a second time on PostgreSQL (a throw-away database).
set -u
for user in postgres "$(id -un)"; do
  if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h localhost -p 5432 -t 2; then
    if psql -h localhost -p 5432 -U "$user" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
      echo "postgresql://$user@localhost:5432/postgres"
      exit 0
    fi
  fi
done
exit 0

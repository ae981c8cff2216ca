#!/usr/bin/env bash
# Follow docs/DEPLOY.md on this machine, on throw-away names, and check each step:
# roles + database (deploy/postgres/roles.sql), migrations as the owner, grants, the
# demo province seeded as the app role, gunicorn (deploy/gunicorn.conf.py) as the app
# role in production mode, nginx with TLS in front (deploy/nginx/procuracy.conf,
# self-signed certificate), a worker per queue (deploy/bin/worker.sh) building a
# bulletin, /healthz, a backup and its restore into another database with equal row
# counts; then everything it made is removed.
#
#   deploy/check.sh            (as root, from the checkout; needs PostgreSQL on localhost
#                               as postgres without a password, Redis, nginx, openssl)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DB=${CHECK_DB:-procuracy_deploycheck}
RESTORED=${DB}_restored
OWNER=${DB}_owner
APPROLE=${DB}_app
PG="psql -h localhost -U postgres -v ON_ERROR_STOP=1 -Atq"
WEB_PORT=${CHECK_WEB_PORT:-8089}
TLS_PORT=${CHECK_TLS_PORT:-8443}
REDIS_DB=${CHECK_REDIS_DB:-11}
WORK=$(mktemp -d /tmp/deploycheck.XXXXXX)
PIDS=()
step() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  sleep 2
  $PG -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" -c "DROP DATABASE IF EXISTS \"$RESTORED\" WITH (FORCE)" \
      -c "DROP ROLE IF EXISTS \"$APPROLE\"" -c "DROP ROLE IF EXISTS \"$OWNER\"" || true
  redis-cli -n "$REDIS_DB" flushdb >/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

step "1. roles and database (deploy/postgres/roles.sql)"
PROCURACY_OWNER_PASSWORD=owner-pw-check PROCURACY_APP_PASSWORD=app-pw-check \
  $PG -v owner="$OWNER" -v app="$APPROLE" -v dbname="$DB" -f deploy/postgres/roles.sql
$PG -c "SELECT rolname, rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname IN ('$OWNER','$APPROLE') ORDER BY 1"
[ "$($PG -c "SELECT count(*) FROM pg_roles WHERE rolname IN ('$OWNER','$APPROLE') AND NOT rolsuper AND NOT rolbypassrls")" = 2 ]
ok "two roles, neither superuser nor BYPASSRLS; database $DB owned by $($PG -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname='$DB'")"

OWNER_URL="postgresql://$OWNER:owner-pw-check@localhost:5432/$DB"
APP_URL="postgresql://$APPROLE:app-pw-check@localhost:5432/$DB"
SECRET=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')
mkdir -p "$WORK/reports"
cat > "$WORK/procuracy.env" <<ENV
APP_ENV=production
SECRET_KEY=$SECRET
DATABASE_URL=$APP_URL
REDIS_URL=redis://localhost:6379/$REDIS_DB
REPORT_STORE=$WORK/reports
BIND=127.0.0.1:$WEB_PORT
WEB_CONCURRENCY=2
TRUSTED_PROXIES=1
FORWARDED_ALLOW_IPS=127.0.0.1
ENV
set -a; . "$WORK/procuracy.env"; set +a

step "2. migrations as the owner, then the app role's grants"
DATABASE_URL=$OWNER_URL .venv/bin/flask --app wsgi db upgrade 2>&1 | tail -1
DATABASE_URL=$OWNER_URL .venv/bin/flask --app wsgi grant-app-role "$APPROLE"
[ "$($PG -d "$DB" -c "SELECT count(*) FROM pg_tables WHERE schemaname='public' AND tableowner <> '$OWNER'")" = 0 ]
ok "every table owned by $OWNER; head $($PG -d "$DB" -c 'SELECT version_num FROM alembic_version')"
ok "$($PG -d "$DB" -c "SELECT count(*) FROM pg_class WHERE relrowsecurity AND relforcerowsecurity") tables under forced RLS"
if psql -h localhost -U "$APPROLE" -d "$DB" -Atqc "CREATE TABLE nope (x int)" 2>/dev/null; then
  echo "the app role could create a table"; exit 1; fi
ok "the app role cannot create tables"

step "3. the demo province, seeded as the app role"
.venv/bin/flask --app wsgi seed-demo --password 'Check-2026!' --cases 300 | sed -n 1p
[ "$(psql -h localhost -U "$APPROLE" -d "$DB" -Atqc 'SELECT count(*) FROM cases')" = 0 ]
ok "the app role sees 0 of $($PG -d "$DB" -c 'SELECT count(*) FROM cases') cases without a scope (RLS)"
if psql -h localhost -U "$APPROLE" -d "$DB" -Atqc "SET procuracy.all = 'on'; DELETE FROM audit_entries" 2>/dev/null; then
  echo "the app role could delete the audit trail"; exit 1; fi
ok "the app role cannot delete the audit trail"

step "4. gunicorn as the app role (deploy/gunicorn.conf.py), production settings"
.venv/bin/gunicorn -c deploy/gunicorn.conf.py wsgi:app > "$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$WEB_PORT/healthz" >/dev/null && break; sleep 1; done
curl -fsS "http://127.0.0.1:$WEB_PORT/healthz"; echo
ok "gunicorn answers on 127.0.0.1:$WEB_PORT"

step "5. nginx with TLS in front (deploy/nginx/procuracy.conf)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$WORK/privkey.pem" -out "$WORK/fullchain.pem" 2>/dev/null
sed -e "s#127.0.0.1:8000#127.0.0.1:$WEB_PORT#" -e "s#listen 443 ssl http2;#listen $TLS_PORT ssl http2;#" \
    -e '/listen \[::\]/d' -e "s#listen 80;#listen 127.0.0.1:$((TLS_PORT + 1));#" \
    -e "s#/etc/ssl/procuracy#$WORK#" -e "s#/srv/procuracy/app#$ROOT#" \
    deploy/nginx/procuracy.conf > "$WORK/site.conf"
cat > "$WORK/nginx.conf" <<NGINX
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events {}
http {
  include /etc/nginx/mime.types;
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK; proxy_temp_path $WORK;
  include $WORK/site.conf;
}
NGINX
nginx -t -c "$WORK/nginx.conf" 2>&1 | tail -1
nginx -c "$WORK/nginx.conf"
B="https://localhost:$TLS_PORT"
CURL="curl -ksS"
$CURL "$B/healthz"; echo
[ "$($CURL -o /dev/null -w '%{http_code}' "$B/static/css/app.css")" = 200 ] && ok "static file served by nginx"
[ "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((TLS_PORT + 1))/")" = 301 ] && ok "http redirects to https"
code=$($CURL -o /dev/null -w '%{http_code}' "$B/login")
[ "$code" = 200 ] && ok "GET /login through nginx: $code"
$CURL -D "$WORK/login.h" -o /dev/null "$B/login"
grep -i '^set-cookie' "$WORK/login.h" | grep -qi 'secure' && ok "session cookie is Secure behind TLS (X-Forwarded-Proto)"
grep -qi '^strict-transport-security' "$WORK/login.h" && ok "HSTS on HTTPS responses: $(grep -i '^strict-transport-security' "$WORK/login.h" | tr -d '\r')"
TOKEN=$($CURL -H 'Content-Type: application/json' \
  -d '{"username": "chief1@440105", "password": "Check-2026!"}' "$B/api/v1/auth/token" \
  | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["token"])')
N=$($CURL -H "Authorization: Bearer $TOKEN" "$B/api/v1/cases" | .venv/bin/python -c 'import json,sys; print(len(json.load(sys.stdin)))')
ok "a token for chief1@440105 and a page of $N of 海珠's cases through nginx"
$CURL -o /dev/null -H 'X-Forwarded-For: 10.9.8.7' -H 'Content-Type: application/json' \
  -d '{"username": "chief1@440105", "password": "wrong"}' "$B/api/v1/auth/token"
keys=$(redis-cli -n "$REDIS_DB" --scan --pattern 'LIMITS*' | sort)
echo "$keys" | sed 's/^/   /'
if grep -q '/127.0.0.1/' <<<"$keys" && ! grep -q '10.9.8.7' <<<"$keys"; then
  ok "sign-in throttling in Redis, keyed by the client's address as nginx saw it (a forged X-Forwarded-For is ignored)"
else echo "throttling keys are not per client address"; exit 1; fi
code=$(head -c 40000000 /dev/zero | $CURL -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/octet-stream' --data-binary @- "$B/api/v1/cases")
[ "$code" = 413 ] && ok "a 40 MB body is refused by nginx: $code"

step "6. a worker per queue (deploy/bin/worker.sh) builds a bulletin"
deploy/bin/worker.sh default > "$WORK/worker-default.log" 2>&1 & PIDS+=($!)
deploy/bin/worker.sh pdf-1 > "$WORK/worker-pdf.log" 2>&1 & PIDS+=($!)
JOB=$($CURL -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"kind": "monthly_bulletin", "period": "2026-10"}' "$B/api/v1/jobs" \
  | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 180); do
  st=$($CURL -H "Authorization: Bearer $TOKEN" "$B/api/v1/jobs/$JOB" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$st" = finished ] || [ "$st" = failed ] && break; sleep 1; done
[ "$st" = finished ] && ok "bulletin job $JOB finished on the pdf worker; $(find "$WORK/reports" -name '*.pdf' | wc -l) PDF in REPORT_STORE"

step "7. backup (pg_dump as the superuser; files) and restore into $RESTORED"
pg_dump -h localhost -U postgres -Fc -f "$WORK/procuracy.dump" "$DB"
if pg_dump -h localhost -U "$OWNER" -Fc -f /dev/null "$DB" 2>"$WORK/owner-dump.err"; then
  echo "   note: the owner could dump"; else ok "the owner cannot dump (FORCE RLS): $(grep -o 'query would be affected by row-level security policy for table "[a-z_]*"' "$WORK/owner-dump.err" | head -1)"; fi
pg_dumpall -h localhost -U postgres --roles-only 2>/dev/null | grep -E "ROLE \"?$DB" > "$WORK/roles.sql" || true
tar -C "$WORK" -czf "$WORK/files.tgz" reports
ok "dump $(du -h "$WORK/procuracy.dump" | cut -f1), files $(du -h "$WORK/files.tgz" | cut -f1), roles: $(wc -l < "$WORK/roles.sql") lines"
$PG -c "CREATE DATABASE \"$RESTORED\" OWNER \"$OWNER\" TEMPLATE template0"
pg_restore -h localhost -U postgres -d "$RESTORED" --exit-on-error "$WORK/procuracy.dump"
count_all() {
  $PG -d "$1" -c "SELECT string_agg(format('%s=%s', table_name,
      (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text), ' ' ORDER BY table_name)
    FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
}
count_all "$DB" > "$WORK/counts-a"; count_all "$RESTORED" > "$WORK/counts-b"
cmp -s "$WORK/counts-a" "$WORK/counts-b" && ok "row counts equal in all $(wc -w < "$WORK/counts-a") tables ($(grep -o ' cases=[0-9]*' "$WORK/counts-a" | tr -d ' '))"
[ "$(psql -h localhost -U "$APPROLE" -d "$RESTORED" -Atqc "SELECT count(*) FROM cases")" = 0 ] && ok "restored: RLS and the app role's grants came back"
DATABASE_URL="postgresql://$APPROLE:app-pw-check@localhost:5432/$RESTORED" .venv/bin/flask --app wsgi audit verify | tail -1
step "all checks passed"

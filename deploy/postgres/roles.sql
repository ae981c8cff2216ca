-- The two roles and the database, as a superuser (postgres):
--
--   PROCURACY_OWNER_PASSWORD=... PROCURACY_APP_PASSWORD=... \
--   psql -h DBHOST -U postgres -v ON_ERROR_STOP=1 \
--        -v owner=procuracy_owner -v app=procuracy_app -v dbname=procuracy \
--        -f deploy/postgres/roles.sql
--
-- The owner owns the tables and runs the migrations; the application connects as
-- the app role, which owns nothing and cannot bypass row-level security. Neither is
-- a superuser (a superuser bypasses RLS whatever the table says). The passwords are
-- read from the environment (psql 15's \getenv), not from the command line.
\getenv owner_password PROCURACY_OWNER_PASSWORD
\getenv app_password PROCURACY_APP_PASSWORD

CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- RLS subplans have huge cost estimates but read a few buffers: JIT compiling them
-- cost 1.1 s on a one-row lookup (docs/PERFORMANCE.md). procuracy.rls.role_settings.
ALTER ROLE :"app" SET jit = off;

CREATE DATABASE :"dbname" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;

\connect :"dbname"
-- PostgreSQL 15: schema public belongs to pg_database_owner (= the owner role) and
-- PUBLIC may not create in it. Say so anyway, for servers upgraded from older versions.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO :"owner", :"app";

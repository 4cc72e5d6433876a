#!/bin/sh
# Runs once, on the db container's first start (the postgres image's initdb hook), as the
# superuser: the owner role that runs migrations and owns every table, the app role that the
# web and workers connect as, and the database, owned by the owner. What the app role may do
# follows from `manage.py setup_db_roles`, run by the `migrate` service after every migrate.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set owner_password="$DATABASE_OWNER_PASSWORD" \
  --set app_password="$DATABASE_APP_PASSWORD" <<'SQL'
CREATE ROLE ouderportaal_owner LOGIN NOSUPERUSER NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE ouderportaal_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD :'app_password';
CREATE DATABASE ouderportaal OWNER ouderportaal_owner;
SQL

#!/usr/bin/env bash
# One database and one role per service; each service can reach only its own data.
set -euo pipefail
for service in leads aftersales insurance marketing payroll gateway; do
  var="$(echo "${service}" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password="${!var:?${var} is not set}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname postgres \
       -v svc="${service}" -v pw="${password}" <<'SQL'
CREATE ROLE :"svc" LOGIN PASSWORD :'pw';
CREATE DATABASE :"svc" OWNER :"svc";
REVOKE ALL ON DATABASE :"svc" FROM PUBLIC;
SQL
done

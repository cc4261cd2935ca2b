#!/usr/bin/env bash
# Makes sure the databases the tests use run on 127.0.0.1 and are set up for CDC, idempotently:
#   PostgreSQL on 5432 (wal_level=logical, a password login 'onramp'/'onramp', database 'test')
#   MariaDB on 3306 (binary log in ROW format with a server_id, a password login 'onramp'/'onramp', database 'test')
# Starts a server that is down, installs it from Debian's packages when absent, restarts only when a
# setting it needs changed. Run by .ci/run; developers run it once before './mvnw -B verify'.
# The tests read ONRAMP_PG_URL / ONRAMP_MARIADB_URL / ONRAMP_DB_USER / ONRAMP_DB_PASSWORD (defaults match this script).
set -euo pipefail

log() { echo "db-services: $*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_if_absent() {
  local probe=$1; shift
  if ! command -v "$probe" >/dev/null 2>&1 && [ ! -x "$probe" ]; then
    log "installing $* from Debian's packages"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  fi
}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$what did not come up within 60 s" >&2
  return 1
}

# ---------- PostgreSQL ----------
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  install_if_absent /nonexistent-postgres postgresql
fi
PG_VERSION=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctl() { as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main "$@"; }
psql_pg() { as_root su postgres -c "psql -X -q -At -v ON_ERROR_STOP=1 -c \"$1\""; }
pg_up() { as_root su postgres -c "psql -X -At -c 'select 1'"; }

if ! pg_up >/dev/null 2>&1; then
  log "starting PostgreSQL $PG_VERSION"
  pg_ctl start || true
  wait_for PostgreSQL pg_up
fi
if [ "$(psql_pg 'show wal_level')" != "logical" ]; then
  log "setting wal_level=logical (restarts PostgreSQL once)"
  psql_pg "ALTER SYSTEM SET wal_level = logical"
  psql_pg "ALTER SYSTEM SET max_replication_slots = 20"
  psql_pg "ALTER SYSTEM SET max_wal_senders = 20"
  pg_ctl restart
  wait_for PostgreSQL pg_up
fi
psql_pg "DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'onramp') THEN CREATE ROLE onramp LOGIN SUPERUSER REPLICATION PASSWORD 'onramp'; END IF; END \\\$\\\$"
if [ -z "$(psql_pg "select 1 from pg_database where datname = 'test'")" ]; then
  psql_pg "CREATE DATABASE test"
fi
log "PostgreSQL $PG_VERSION on 127.0.0.1:5432, wal_level=$(psql_pg 'show wal_level')"

# ---------- MariaDB ----------
install_if_absent /usr/sbin/mariadbd mariadb-server mariadb-client
MY_CNF_DIR=/etc/mysql/mariadb.conf.d
[ -d /etc/mysql/conf.d ] && MY_CNF_DIR=/etc/mysql/conf.d
CDC_CNF=$MY_CNF_DIR/90-onramp-cdc.cnf
WANT_CNF='[mysqld]
log_bin = mariadb-bin
binlog_format = ROW
binlog_row_image = FULL
server_id = 1
expire_logs_days = 1'
# Stock Debian lets root in only over the unix socket (unix_socket auth); some machines allow root over TCP
# instead. Try TCP, then the socket as the OS root user.
mysql_root() {
  mysql --protocol=TCP -h127.0.0.1 -P3306 -uroot -N -B -e "$1" 2>/dev/null \
    || as_root mysql --protocol=SOCKET -uroot -N -B -e "$1"
}
# ping answers 0 whenever the server runs, whatever the login: readiness does not depend on root's auth.
my_up() { mysqladmin --protocol=TCP -h127.0.0.1 -P3306 ping; }
start_mariadb() {
  as_root mkdir -p /run/mysqld
  as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for MariaDB my_up
}
as_root mkdir -p "$MY_CNF_DIR"
if ! grep -q "includedir $MY_CNF_DIR" /etc/mysql/my.cnf 2>/dev/null; then
  echo "!includedir $MY_CNF_DIR/" | as_root tee -a /etc/mysql/my.cnf >/dev/null
fi
if [ "$(cat "$CDC_CNF" 2>/dev/null)" != "$WANT_CNF" ]; then
  printf '%s\n' "$WANT_CNF" | as_root tee "$CDC_CNF" >/dev/null
fi
if ! my_up >/dev/null 2>&1; then
  log "starting MariaDB"
  start_mariadb
fi
if [ "$(mysql_root 'select @@log_bin')" != "1" ] || [ "$(mysql_root 'select @@binlog_format')" != "ROW" ]; then
  log "enabling the ROW binary log (restarts MariaDB once)"
  as_root start-stop-daemon --stop --oknodo --retry 30 --exec /usr/sbin/mariadbd
  start_mariadb
fi
mysql_root "CREATE DATABASE IF NOT EXISTS test"
mysql_root "CREATE USER IF NOT EXISTS 'onramp'@'%' IDENTIFIED BY 'onramp'"
mysql_root "CREATE USER IF NOT EXISTS 'onramp'@'localhost' IDENTIFIED BY 'onramp'"
mysql_root "GRANT ALL PRIVILEGES ON *.* TO 'onramp'@'%' WITH GRANT OPTION"
mysql_root "GRANT ALL PRIVILEGES ON *.* TO 'onramp'@'localhost' WITH GRANT OPTION"
log "MariaDB on 127.0.0.1:3306, log_bin=$(mysql_root 'select @@log_bin'), binlog_format=$(mysql_root 'select @@binlog_format')"

#!/usr/bin/env bash
# One-time setup for the PostgreSQL tests and benchmarks (also run by .ci/run): installs Debian's
# `postgresql` package when its binaries are missing, and creates the system user `doteval-pg`
# that test servers run as when the tests run as root (PostgreSQL refuses to run as root).
# Idempotent. The package's own cluster is not needed: tests make throwaway clusters with initdb.
set -euo pipefail
SUDO=''
[ "$(id -u)" -eq 0 ] || SUDO='sudo'

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	echo "installing Debian's postgresql package"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
fi
# The package starts a cluster of its own on port 5432; the tests never use it.
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
echo "PostgreSQL: $("$bin/postgres" --version)"

user=${DOTEVAL_PG_USER:-doteval-pg}
if [ "$(id -u)" -eq 0 ] && ! id -u "$user" >/dev/null 2>&1; then
	useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
	echo "created system user $user (test servers run as it)"
fi

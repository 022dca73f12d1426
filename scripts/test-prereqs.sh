#!/usr/bin/env bash
# Installs what the tests need beyond .NET and Node, from Debian's packages, only when missing (quick when present):
# - chromium for the dashboard's headless-browser test (Microsoft.Playwright with ExecutablePath=/usr/bin/chromium);
# - postgresql for the tests that run the server on PostgreSQL: they start their own cluster with its initdb and
#   pg_ctl (tests/NirsSync.Server.Tests/Support/PostgresServer.cs); the system service is not used.
set -euo pipefail
missing=()
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}"

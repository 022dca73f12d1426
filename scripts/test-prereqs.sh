#!/usr/bin/env bash
# Installs what the tests need beyond .NET and Node: Debian's chromium for the dashboard's
# headless-browser test (driven by Microsoft.Playwright with ExecutablePath=/usr/bin/chromium).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium

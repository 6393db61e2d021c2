#!/usr/bin/env bash
# Installs Debian's chromium for the end-to-end and accessibility tests.
# Playwright cannot download its own browser here; the tests drive /usr/bin/chromium.
# Idempotent: does nothing when /usr/bin/chromium is already there. Fails loudly.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "install-browser: $CHROMIUM is present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-browser: $CHROMIUM is missing and this is not root (and there is no sudo)" >&2
    exit 1
  fi
fi

echo "install-browser: installing Debian's chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update \
  || { echo "install-browser: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y chromium chromium-driver \
  || { echo "install-browser: apt-get install chromium chromium-driver failed" >&2; exit 1; }

if [ ! -x "$CHROMIUM" ]; then
  echo "install-browser: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"

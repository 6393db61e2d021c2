#!/usr/bin/env bash
# Installs what the PDF report needs from Debian: Pango and HarfBuzz's subsetter for WeasyPrint
# (the PDF export), fonts, and poppler-utils' pdftoppm (the tests turn the PDF's first page
# into an image). Idempotent: installs only what is missing. Fails loudly.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-pdf: ${PACKAGES[*]} are present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-pdf: ${missing[*]} missing and this is not root (and there is no sudo)" >&2
    exit 1
  fi
fi
echo "install-pdf: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update || { echo "install-pdf: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y "${missing[@]}" \
  || { echo "install-pdf: apt-get install ${missing[*]} failed" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "install-pdf: pdftoppm is still missing" >&2; exit 1; }
echo "install-pdf: installed ${missing[*]}"

#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Debian's Chromium for the browser tests
# (never a downloaded browser) and poppler-utils (pdftotext, pdftoppm) for the letter typesetting test. The embedded database is built from Go sources by the tests themselves.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi
if ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "The letter tests need Debian's poppler-utils: sudo apt-get install -y poppler-utils" >&2
    exit 1
  fi
fi
if ! command -v go >/dev/null 2>&1 && [ -z "${MONGODB_URI:-}" ]; then
  echo "The tests need Go 1.24+ (to build the embedded database) or MONGODB_URI set to a MongoDB 6+ server" >&2
  exit 1
fi

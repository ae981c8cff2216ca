#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser journeys (tests/e2e).
# The journeys drive the system's /usr/bin/chromium through Playwright, never a browser
# downloaded by `playwright install`. As root with apt-get we install the package;
# otherwise we only say so and exit 0: the e2e tests then skip with the same message.
set -uo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing chromium (Debian package) for the browser journeys =="
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
        [ -x "$CHROMIUM" ] && exit 0
    fi
    echo "WARNING: installing chromium failed." >&2
fi

cat >&2 <<MSG
NOTE: $CHROMIUM is not installed: the browser journeys (tests/e2e) will be skipped.
Install it as root on Debian/Ubuntu with:   apt-get install chromium
(or set CHROMIUM to a Chromium binary), then run: .venv/bin/python -m pytest tests/e2e
MSG
exit 0

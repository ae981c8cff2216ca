#!/usr/bin/env bash
# Make sure a CJK font (and poppler-utils, for the PDF tests) is installed.
# PDFs set Chinese text in an embedded CJK font; without one WeasyPrint draws empty
# boxes and only logs a warning, so `make test` and `make demo` stop here instead.
set -euo pipefail

have_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }
have_poppler() { command -v pdffonts >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; }
# HarfBuzz-Subset lets WeasyPrint subset fonts natively (otherwise it falls back to the
# slower fontTools and warns): not required, installed when we install anyway.
have_subset() { ldconfig -p 2>/dev/null | grep libharfbuzz-subset >/dev/null; }

if have_font && have_poppler && have_subset; then
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing a CJK font, poppler-utils and HarfBuzz-Subset (Debian packages) =="
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends fonts-noto-cjk fontconfig poppler-utils >/dev/null
    apt-get install -y -qq --no-install-recommends libharfbuzz-subset0 >/dev/null 2>&1 || true
    fc-cache -f >/dev/null 2>&1 || true
fi

if ! have_font; then
    cat >&2 <<'MSG'
ERROR: no CJK font is installed (`fc-list :lang=zh` finds nothing).
Reports set Chinese text in an embedded CJK font; without one they would show empty boxes.
Install one, e.g. as root on Debian/Ubuntu:   apt-get install fonts-noto-cjk
(or put NotoSansCJK-*.ttc in ~/.local/share/fonts and run fc-cache -f), then try again.
MSG
    exit 1
fi
if ! have_poppler; then
    echo "WARNING: pdffonts/pdftotext (poppler-utils) are missing: the PDF tests that read PDFs will be skipped." >&2
fi
exit 0

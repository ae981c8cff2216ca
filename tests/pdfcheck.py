"""Reading a built PDF back with poppler: its embedded CJK fonts and its text.

A CJK font missing from a PDF shows as empty boxes while ``pdftotext`` still extracts the
Chinese, so the font list is what proves the Chinese is drawn.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

POPPLER = shutil.which("pdffonts") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdffonts, pdftotext) not installed: "
                        "run scripts/ensure_cjk_font.sh as root")


def assert_embeds_cjk_font(path: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    cjk = [line for line in fonts.splitlines()[2:] if "CJK" in line or "Han" in line]
    # columns: name type encoding emb sub uni object ID -> "emb" is the 5th from the end
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts


def flat_text(path: Path) -> str:
    """The PDF's text with no spaces or line breaks (a table cell may wrap anywhere)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.replace("\n", "").replace(" ", "")

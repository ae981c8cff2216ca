"""Every message the interface shows has a Simplified Chinese translation: the ids
extracted from the code and templates (as babel.cfg extracts them) are all in one of
the area catalogues (procuracy.config.TRANSLATION_DIRECTORIES), with a non-empty text."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from procuracy.config import TRANSLATION_DIRECTORIES

ROOT = Path(__file__).parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _extracted() -> dict[str, str]:
    """message id -> where it is first used."""
    found: dict[str, str] = {}
    sources = [("procuracy", [("**.py", "python")]), ("templates", [("**.html", "jinja2")])]
    for folder, method_map in sources:
        for filename, line, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map=method_map, keywords=KEYWORDS):
            for msgid in (message if isinstance(message, tuple) else (message,)):
                if msgid:
                    found.setdefault(msgid, f"{folder}/{filename}:{line}")
    return found


def _translated(locale: str) -> set[str]:
    done: set[str] = set()
    for directory in TRANSLATION_DIRECTORIES:
        path = ROOT / "procuracy" / directory / locale / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as handle:
                done |= {m.id if isinstance(m.id, str) else m.id[0]
                         for m in read_po(handle) if m.id and m.string and m.string != ""}
    return done


def test_every_message_of_the_interface_has_a_chinese_translation():
    extracted = _extracted()
    translated = _translated("zh_Hans_CN")
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in extracted.items()
                     if msgid not in translated)
    assert not missing, f"{len(missing)} messages without a zh_Hans_CN translation:\n" + "\n".join(missing)

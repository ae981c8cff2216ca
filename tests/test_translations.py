"""Every message the interface shows has a Simplified Chinese translation: the ids
extracted from the code and templates (as babel.cfg extracts them) are all in one of
the area catalogues (procuracy.config.TRANSLATION_DIRECTORIES), with a non-empty text."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from procuracy.config import TRANSLATION_DIRECTORIES

ROOT = Path(__file__).parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}


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


def _catalogues(locale: str) -> dict[str, dict[tuple, str]]:
    """directory -> {(context, id): translation} of the non-empty translations."""
    out = {}
    for directory in TRANSLATION_DIRECTORIES:
        path = ROOT / "procuracy" / directory / locale / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as handle:
                out[directory] = {(m.context, m.id if isinstance(m.id, str) else m.id[0]):
                                  m.string if isinstance(m.string, str) else m.string[0]
                                  for m in read_po(handle) if m.id and m.string}
    return out


def _translated(locale: str) -> set[str]:
    return {msgid for catalogue in _catalogues(locale).values() for _ctx, msgid in catalogue}


def test_every_message_of_the_interface_has_a_chinese_translation():
    extracted = _extracted()
    translated = _translated("zh_Hans_CN")
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in extracted.items()
                     if msgid not in translated)
    assert not missing, f"{len(missing)} messages without a zh_Hans_CN translation:\n" + "\n".join(missing)


def test_no_two_catalogues_translate_one_message_differently():
    """The catalogues are merged, a later one silently winning: a message id (with its
    context) shared by two areas must mean the same in both, or carry a context."""
    seen: dict[tuple, tuple[str, str]] = {}
    clashes = []
    for directory, catalogue in _catalogues("zh_Hans_CN").items():
        for key, text in catalogue.items():
            if key in seen and seen[key][1] != text:
                clashes.append(f"{key[1]!r} (context {key[0]}): {seen[key][0]} says "
                               f"{seen[key][1]!r}, {directory} says {text!r}")
            seen.setdefault(key, (directory, text))
    assert not clashes, f"{len(clashes)} clashes:\n" + "\n".join(clashes)

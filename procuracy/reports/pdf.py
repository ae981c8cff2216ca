"""PDFs from HTML templates (``templates/reports/``) with WeasyPrint.

The base template sets ``lang="zh-CN"`` (so Fontconfig picks Simplified glyphs, not
the Japanese variant), A4 pages with the unit and period on top and "第 X 页 共 Y 页"
below, an optional table of contents from the ``<h2>`` headings, and on downloaded
copies a watermark naming the viewer and the time of download.

A missing CJK font must fail loudly: WeasyPrint would draw empty boxes and only log
a warning. So ``font_config()`` refuses to start without a font Fontconfig lists for
Chinese (``MissingCJKFont``), and ``html_to_pdf`` raises ``MissingGlyphs`` if any
glyph came out as .notdef or the Chinese text was set in a font that is not CJK.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from html import escape
from zoneinfo import ZoneInfo

from flask import current_app

LOCAL = ZoneInfo("Asia/Shanghai")
# Simplified Chinese first; any family Fontconfig lists for Chinese will do after them.
PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN",
             "Noto Serif CJK SC", "Source Han Serif SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Noto Sans SC")
TOC_MIN_HEADINGS = 4  # a report with this many sections gets a table of contents
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<inner>.*?)</h2>", re.S)
_TAG = re.compile(r"<[^>]+>")
TOC_MARK, WATERMARK_MARK = "<!--TOC-->", "<!--WATERMARK-->"


class MissingCJKFont(RuntimeError):
    """No CJK font is installed, or Chinese text was not set in one."""


class MissingGlyphs(MissingCJKFont):
    """WeasyPrint drew .notdef boxes: some characters have no font."""


# ---------------------------------------------------------------- fonts
@cache
def _zh_families() -> tuple[str, ...] | None:
    """Families Fontconfig lists for Chinese; None when ``fc-list`` is not installed."""
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                         timeout=30, check=False).stdout
    names = {name.strip() for line in out.splitlines() for name in line.split(",")}
    return tuple(sorted(n for n in names if n))


def cjk_family() -> str:
    """The CJK family reports are set in; ``MissingCJKFont`` if there is none."""
    families = _zh_families()
    if families is None:
        return PREFERRED[0]  # no fc-list to ask: the checks after rendering decide
    for name in PREFERRED:
        if name in families:
            return name
    simplified = [f for f in families if f.endswith((" SC", " CN"))]
    if simplified or families:
        return (simplified or list(families))[0]
    raise MissingCJKFont(
        "No CJK font is installed (`fc-list :lang=zh` finds nothing): Chinese text would be "
        "drawn as empty boxes. Install one, e.g. `apt-get install fonts-noto-cjk` "
        "(scripts/ensure_cjk_font.sh does it), then try again.")


def font_config():
    """WeasyPrint's font configuration, once a CJK font is known to be installed."""
    from weasyprint.text.fonts import FontConfiguration

    cjk_family()
    return FontConfiguration()


def font_stack() -> str:
    family = cjk_family()
    names = [family] + [n for n in ("Noto Sans CJK SC", "Source Han Sans SC") if n != family]
    return ", ".join(f'"{n}"' for n in names) + ", sans-serif"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings():
    handler, logger = _Collect(), logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


# ---------------------------------------------------------------- HTML
def render_html(template_name: str, context: dict, viewer=None,
                at: datetime | None = None) -> str:
    """The report's HTML: ``templates/reports/<template_name>`` on the base template,
    with its table of contents and, for ``viewer``, the watermark."""
    env = current_app.jinja_env
    template = env.get_template(f"reports/{template_name}")
    html = template.render({"font_stack": font_stack(), **context})
    html = with_toc(html, context.get("toc"))
    return add_watermark(html, viewer, at) if viewer is not None else html


def with_toc(html: str, toc: bool | None = None) -> str:
    """Give every ``<h2>`` an id and, for long reports (or ``toc=True``), fill the
    table of contents: titles with their page numbers (``target-counter``)."""
    entries: list[tuple[str, str]] = []

    def number(match: re.Match) -> str:
        attrs, inner = match.group("attrs"), match.group("inner")
        found = re.search(r'\bid="([^"]+)"', attrs)
        anchor = found.group(1) if found else f"sec-{len(entries) + 1}"
        if not found:
            attrs = f'{attrs} id="{anchor}"'
        entries.append((anchor, _TAG.sub("", inner).strip()))
        return f"<h2{attrs}>{inner}</h2>"

    html = _H2.sub(number, html)
    wanted = toc if toc is not None else len(entries) >= TOC_MIN_HEADINGS
    if not wanted or not entries or TOC_MARK not in html:
        return html
    items = "".join(f'<li><a href="#{escape(a)}">{t}</a></li>' for a, t in entries)
    nav = f'<nav class="toc"><div class="toc-title">目录</div><ol>{items}</ol></nav>'
    return html.replace(TOC_MARK, nav, 1)


def viewer_label(viewer) -> str:
    """"张三（prosecutor1@440105）" for a user; a string is used as it is."""
    if isinstance(viewer, str):
        return viewer
    name, username = getattr(viewer, "full_name", ""), getattr(viewer, "username", "")
    return f"{name}（{username}）" if name and username else str(name or username or viewer)


def add_watermark(html: str, viewer, at: datetime | None = None) -> str:
    """Name the viewer and the time of download on every page."""
    when = (at or datetime.now(LOCAL)).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
    line = escape(f"{viewer_label(viewer)} 下载于 {when}")
    mark = (f'<div class="watermark" aria-hidden="true"><p>{line}</p><p>{line}</p>'
            f"<p>{line}</p></div>")
    if WATERMARK_MARK in html:
        return html.replace(WATERMARK_MARK, mark, 1)
    return html.replace("<body>", "<body>" + mark, 1)


# ---------------------------------------------------------------- PDF
@dataclass
class RenderedPdf:
    data: bytes
    pages: int


def html_to_pdf(html: str) -> RenderedPdf:
    """Lay out and write the PDF; fail loudly on any missing glyph or non-CJK font."""
    from weasyprint import HTML

    config = font_config()
    with _weasyprint_warnings() as warnings:
        document = HTML(string=html, base_url=current_app.root_path).render(font_config=config)
        data = document.write_pdf()
    missing = [w for w in warnings if ".notdef" in w or "unsupported by fonts" in w]
    missing += [f"{font.family}: {len(font.missing)} characters without a glyph"
                for font in document.fonts.values() if font.missing]
    if missing:
        raise MissingGlyphs("Characters drawn as empty boxes (no font has them): "
                            + "; ".join(missing[:5]))
    if _CJK.search(html):
        families = {font.family for font in document.fonts.values()}
        if not any(_is_cjk_family(f) for f in families):
            raise MissingCJKFont(f"Chinese text was set in {sorted(families)}, none of them "
                                 "a CJK font; install fonts-noto-cjk")
    return RenderedPdf(data, len(document.pages))


def _is_cjk_family(family: str) -> bool:
    known = _zh_families() or ()
    return family in known or "CJK" in family or family in PREFERRED


def render_pdf(template_name: str, context: dict, viewer=None) -> bytes:
    """The PDF of ``templates/reports/<template_name>``; watermarked for ``viewer``."""
    return html_to_pdf(render_html(template_name, context, viewer)).data

"""PDF reports: the CJK font is embedded (and its absence fails loudly), A4 pages with
the unit and period on top and "第 X 页 共 Y 页" below, a table of contents for long
reports, the viewer's watermark on downloaded copies; the SVG charts.

The PDFs are read back with poppler's ``pdffonts`` and ``pdftotext`` (installed by
scripts/ensure_cjk_font.sh): pdftotext alone would not do, since it extracts the
Chinese even from a PDF that draws it as empty boxes.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from procuracy.reports import charts
from procuracy.reports.pdf import LOCAL, cjk_family, render_html, render_pdf

ROOT = Path(__file__).parents[1]
POPPLER = shutil.which("pdffonts") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdffonts, pdftotext) not installed: "
                        "run scripts/ensure_cjk_font.sh as root")
SVG = "{http://www.w3.org/2000/svg}"


def sample_context(sections: int = 0, toc=None) -> dict:
    return {
        "title": "案件情况月报（样例）", "unit_name": "广州市海珠区人民检察院",
        "period_label": "2026年10月", "toc": toc,
        "figures": {"total": 3, "by_kind": [["审查起诉", 2], ["审查逮捕", 1]],
                    "by_status": [["closed", 1], ["open", 2]]},
        "status_names": {"open": "在办", "closed": "办结"},
        "appendix": [(i, f"穗海检〔2026〕{i}号", "审查起诉") for i in range(1, sections + 1)],
        "chart_kinds": charts.bar_chart(["审查起诉", "审查逮捕"], [2, 1], title="受理案件"),
        "chart_status": charts.stacked_bar_chart(["本月"], {"在办": [2], "办结": [1]}),
    }


@pytest.fixture(scope="module")
def sample_pdf(app, tmp_path_factory) -> Path:
    """The sample report with a table of contents (title and contents on page 1)."""
    with app.app_context():
        data = render_pdf("sample.html", sample_context(toc=True))
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    path.write_bytes(data)
    return path


def text_of(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


# ---------------------------------------------------------------- the font
@needs_poppler
def test_sample_pdf_embeds_a_simplified_chinese_cjk_font(sample_pdf):
    out = subprocess.run(["pdffonts", str(sample_pdf)], capture_output=True, text=True,
                         check=True).stdout
    fonts = [line for line in out.splitlines()[2:] if line.strip()]
    cjk = [line for line in fonts if "CJK" in line or "Han" in line or "WenQuanYi" in line]
    assert cjk, out
    # columns: name type encoding emb sub uni object ID -> "emb" is the 5th from the end
    assert all(line.split()[-5] == "yes" for line in cjk), out
    if cjk_family().endswith(" SC"):
        assert all("SC" in line.split()[0] for line in cjk), out  # not the JP variant


def test_report_html_is_simplified_chinese_a4():
    html = (ROOT / "templates" / "reports" / "base.html").read_text()
    assert '<html lang="zh-CN">' in html
    assert "size: A4" in html
    assert '"第 " counter(page) " 页 共 " counter(pages) " 页"' in html


@pytest.fixture(scope="module")
def without_cjk_font(tmp_path_factory) -> str:
    """Render twice in a subprocess whose Fontconfig knows only DejaVu (Latin) fonts:
    as is, then as if fc-list had lied (to reach the checks after rendering)."""
    tmp = tmp_path_factory.mktemp("nofont")
    dejavu = next((d for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
                   if Path(d).is_dir()), None)
    if dejavu is None:
        pytest.skip("no DejaVu fonts to stand in for a machine without CJK fonts")
    (tmp / "fonts.conf").write_text(f'<?xml version="1.0"?><fontconfig><dir>{dejavu}</dir>'
                                    f"<cachedir>{tmp / 'cache'}</cachedir></fontconfig>")
    script = textwrap.dedent("""
        from procuracy import create_app
        from procuracy.reports import pdf
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
        context = {"title": "测试", "unit_name": "海珠区院", "period_label": "2026年10月",
                   "figures": {"total": 0, "by_kind": [], "by_status": []},
                   "status_names": {}, "appendix": []}
        with app.app_context():
            for attempt in ("as is", "fc-list lied"):
                if attempt == "fc-list lied":
                    pdf.cjk_family = lambda: "Noto Sans CJK SC"
                try:
                    pdf.render_pdf("sample.html", context)
                    print(attempt, "=> rendered without complaint")
                except pdf.MissingCJKFont as exc:
                    print(attempt, "=>", type(exc).__name__, exc)
    """)
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp / "fonts.conf")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_no_cjk_font_installed_raises_missing_cjk_font(without_cjk_font):
    line = next(ln for ln in without_cjk_font.splitlines() if ln.startswith("as is"))
    assert "=> MissingCJKFont" in line and "fonts-noto-cjk" in line


def test_chinese_drawn_as_empty_boxes_raises_missing_glyphs(without_cjk_font):
    line = next(ln for ln in without_cjk_font.splitlines() if ln.startswith("fc-list lied"))
    assert "=> MissingGlyphs" in line and ".notdef" in line


# ---------------------------------------------------------------- the page
@needs_poppler
def test_footer_numbers_the_pages(sample_pdf):
    text = re.sub(r"\s", "", text_of(sample_pdf))  # pdftotext drops spaces between CJK
    assert "第1页共" in text
    found = [(int(x), int(y)) for x, y in re.findall(r"第(\d+)页共(\d+)页", text)]
    total = found[0][1]
    assert total >= 2 and found == [(n, total) for n in range(1, total + 1)]


@needs_poppler
def test_header_names_the_unit_and_period_on_later_pages(sample_pdf):
    page2 = text_of(sample_pdf, "-f", "2", "-l", "2")
    assert "广州市海珠区人民检察院" in page2 and "2026年10月" in page2


@needs_poppler
def test_table_of_contents_lists_the_sections_with_page_numbers(sample_pdf):
    page1 = text_of(sample_pdf, "-f", "1", "-l", "1", "-layout")
    assert "目录" in page1
    for title in ("一、总体情况", "二、按案件类别", "三、办理状态"):
        line = next(ln for ln in page1.splitlines() if title in ln)
        assert line.rstrip()[-1].isdigit(), line  # leader dots, then the page


def test_long_reports_get_a_table_of_contents_short_ones_do_not(app):
    with app.app_context():
        short = render_html("sample.html", sample_context())
        long = render_html("sample.html", sample_context(sections=3))  # four sections
    assert 'class="toc"' not in short and "<!--TOC-->" in short
    assert 'class="toc"' in long and 'href="#sec-4"' in long and 'id="sec-4"' in long


@needs_poppler
def test_downloaded_copy_carries_the_viewers_name_and_time(app, tmp_path):
    at = datetime(2026, 11, 23, 9, 30, tzinfo=LOCAL)
    with app.app_context():
        html = render_html("sample.html", sample_context(), viewer="张三（prosecutor1@440105）",
                           at=at)
        from procuracy.reports.pdf import html_to_pdf

        path = tmp_path / "copy.pdf"
        path.write_bytes(html_to_pdf(html).data)
    assert html.count("张三（prosecutor1@440105） 下载于 2026-11-23 09:30") == 3
    raw = re.sub(r"\s", "", text_of(path, "-raw"))
    assert "prosecutor1@440105）下载于2026-11-23" in raw
    assert "张三" in raw


# ---------------------------------------------------------------- charts
def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("draw", [charts.bar_chart, charts.stacked_bar_chart, charts.line_chart])
def test_charts_are_valid_svg_with_chinese_labels(draw):
    svg = draw(["海珠区", "天河区", "南山区"], {"受理": [12, 7, 3], "办结": [10, 5, 1]},
               title="各院办案情况", unit="件")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and "Noto Sans CJK SC" in root.get("font-family")
    texts = _texts(svg)
    for label in ("海珠区", "天河区", "南山区", "各院办案情况", "受理", "办结", "件"):
        assert label in texts, (label, texts)


def test_chart_labels_are_escaped():
    svg = charts.bar_chart(['<script>alert("x")</script>&'], [1], title="a<b")
    root = ET.fromstring(svg)  # still well-formed
    assert not list(root.iter(f"{SVG}script"))
    assert '<script>alert("x")</script>&' in _texts(svg)


def test_axis_ticks_are_round_and_whole_for_counts():
    assert charts.nice_ticks(3) == [0, 1, 2, 3]
    assert charts.nice_ticks(47) == [0, 10, 20, 30, 40, 50]
    assert charts.nice_ticks(0.8, whole=False) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8])

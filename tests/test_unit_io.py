"""Importing and exporting the unit tree: all or nothing, errors by row and field."""
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from procuracy.extensions import db
from procuracy.tenants import units as tree
from procuracy.tenants.models import Unit, UnitClosure
from procuracy.tenants.scope import system_scope
from procuracy.tenants.unit_io import ImportRejected, export_units, import_units

HEADER = "code,name,abbr,level,parent_code\n"


def _count():
    return db.session.scalar(select(func.count(Unit.id)))


def _csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "units.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_file_adds_units_and_their_closure(tmp_path):
    path = _csv(tmp_path, "440111,广州市白云区人民检察院,穗云,district,440100\n"
                          "44F001,广东省人民检察院广州铁路运输分院,粤铁,branch,440000\n"
                          "440199,铁路运输检察院,穗铁,district,44F001\n")
    with system_scope("test import"):
        result = import_units(path)
        baiyun = tree.by_code("440111")
        assert result["created"] == 3
        assert [u.code for u in tree.ancestors(tree.by_code("440199"))] == ["440000", "44F001"]
        province = tree.by_code("440000")
        assert baiyun.id in tree.descendants_ids(province.id)
        assert db.session.scalar(select(UnitClosure.distance).where(
            UnitClosure.ancestor_id == province.id, UnitClosure.descendant_id == baiyun.id)) == 2


def test_a_bad_file_changes_nothing_and_names_row_and_field(tmp_path):
    path = _csv(tmp_path, "440111,广州市白云区人民检察院,穗云,district,440100\n"
                          "44011,坏代码,坏,district,440100\n"
                          "440112,黄埔,穗黄,county,440100\n"
                          "440113,番禺,穗番,district,449999\n"
                          "440111,重复,重,district,440100\n"
                          "440114,,穗花,district,440100\n")
    with system_scope("test import"):
        before = _count()
        with pytest.raises(ImportRejected) as rejected:
            import_units(path)
        assert _count() == before
    messages = [str(e) for e in rejected.value.errors]
    assert "row 3, field 'code': '44011' is not six digits" in messages
    assert any(m.startswith("row 4, field 'level'") for m in messages)
    assert any(m.startswith("row 5, field 'parent_code'") and "449999" in m for m in messages)
    assert any(m.startswith("row 6, field 'code'") and "row 2" in m for m in messages)
    assert any(m.startswith("row 7, field 'name'") for m in messages)


def test_a_district_cannot_hang_directly_under_a_province(tmp_path):
    path = _csv(tmp_path, "440111,白云,穗云,district,440000\n")
    with system_scope("test import"), pytest.raises(ImportRejected) as rejected:
        import_units(path)
    assert "cannot sit under province" in str(rejected.value)


def test_a_file_without_the_columns_is_rejected(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name\n440111,白云\n", encoding="utf-8")
    with system_scope("test import"), pytest.raises(ImportRejected) as rejected:
        import_units(path)
    assert {e.field for e in rejected.value.errors} == {"abbr", "level", "parent_code"}


def test_excel_import_works_like_csv(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "abbr", "level", "parent_code"])
    sheet.append(["440111", "广州市白云区人民检察院", "穗云", "district", "440100"])
    sheet.append([440112, "广州市黄埔区人民检察院", "穗黄", "district", 440100])  # numbers as cells
    path = tmp_path / "units.xlsx"
    book.save(path)
    with system_scope("test import"):
        assert import_units(path)["created"] == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(tmp_path, suffix):
    path = tmp_path / f"tree{suffix}"
    with system_scope("test export"):
        count = export_units(path)
        assert count == _count()
        assert import_units(path) == {"created": 0, "updated": 0, "rows": count}


def test_the_cli_rejects_a_bad_file_with_exit_code_1(app, tmp_path):
    path = _csv(tmp_path, "440111,白云,穗云,district,449999\n")
    result = app.test_cli_runner().invoke(args=["units", "import", str(path)])
    assert result.exit_code == 1
    assert "row 2, field 'parent_code'" in result.output

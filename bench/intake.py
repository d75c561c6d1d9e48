"""`make bench-intake`: time and peak memory of each hostile or large input on the path that takes it, each in a
fresh process, so a request's memory is what the intake lets it use (target: under 300 MB added per request).

    python -m bench.intake            # every case; writes bench/results-intake.json
    python -m bench.intake --case NAME FILE   # one case in this process (what the parent runs)

Peak memory is the process's high-water mark (VmHWM) while the case runs, reset just before it (Linux
/proc/self/clear_refs), minus what the process held before: the cost of the input itself, interpreter and Django not
counted. The function run is the one the request's view or command calls on the uploaded bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from .databases import ROOT, VAR

RESULTS = ROOT / "bench" / "results-intake.json"
INPUTS = VAR / "bench-intake"
TARGET_MB = 300
MIB = 1024 * 1024


# --- inputs, made in the parent -----------------------------------------------------------------------------------

def _xlsx(rows: list[list[object]], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(data: bytes, last: str) -> bytes:
    """Declare A1:XFD1048576 and add one cell at `last` (the red team's 6 KB file)."""
    row = re.match(r"[A-Z]+(\d+)", last).group(1)
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            text = source.read(name)
            if name.startswith("xl/worksheets/sheet"):
                xml = text.decode()
                xml = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", "", xml)
                xml = xml.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>', 1)
                cell = f'<row r="{row}"><c r="{last}" t="inlineStr"><is><t>x</t></is></c></row>'
                text = xml.replace("</sheetData>", cell + "</sheetData>").encode()
            target.writestr(name, text)
    return out.getvalue()


def _template_rows(count: int) -> list[list[object]]:
    head = [["自评填报模板"], ["轮次", "2026", "级别", "city", "代码", "379900", "部门", "公安局"],
            ["指标编号", "一级指标", "指标名称", "输入项代码", "输入项", "填写说明", "填写值", "数据来源/说明",
             "当前得分与来源"]]
    return head + [[4, "信息基础设施", "视频监控覆盖率", "coverage_percent", "覆盖率", "请输入0到100之间的百分数",
                    "92.5", f"公安局统计 {n}", "0分"] for n in range(count)]


REGISTER_COLUMNS = ["city_code", "city_name", "unit_code", "unit_name", "unit_kind", "street_code", "street_name",
                    "street_kind", "community_code", "community_name", "households"]


def _register_rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = [REGISTER_COLUMNS]
    for n in range(count):
        street = 370102001 + n // 20
        rows.append([370100, "济南市", 370102, "历下区", "main_urban_district", street, f"街道{n // 20}",
                     "subdistrict", street * 1000 + n % 20 + 1, f"社区{n}", 1200])
    return rows


def make_inputs() -> dict[str, Path]:
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    from tests.checklists.photo_factory import make_huge_png

    INPUTS.mkdir(parents=True, exist_ok=True)
    made = {
        "template_bomb.xlsx": _bomb(_xlsx(_template_rows(3), "填报"), "XFD1048576"),
        "template_large.xlsx": _xlsx(_template_rows(4_990), "填报"),
        "register_bomb.xlsx": _bomb(_xlsx(_register_rows(3), "Sheet"), "C60000"),
        "register_large.xlsx": _xlsx(_register_rows(12_000), "Sheet"),
        "rgba_49mp.png": make_huge_png(7070, 7070, "RGBA"),
        "rgb_49mp.png": make_huge_png(7000, 7000, "RGB"),
        "deep.json": ('{"values":' + "[" * 50_000).encode(),
        "digits.jsonl": ('{"round": "2026", "values": {"incidents": ' + "9" * 600_000 + "}}").encode(),
        "digits.txt": ("9" * 600_000).encode(),
    }
    paths = {}
    for name, data in made.items():
        path = INPUTS / name
        path.write_bytes(data)
        paths[name] = path
    return paths


# --- cases, each run in a fresh process -----------------------------------------------------------------------------

def _template(data: bytes) -> str:
    from assessments.workbooks import TemplateError, _rows

    try:
        return f"{len(_rows(data))} 行"
    except TemplateError as exc:
        return f"拒绝：{exc}"


def _register(data: bytes) -> str:
    from communities.register import RegisterFileError, read_dataset, validate

    try:
        rows, errors = validate(read_dataset(data, "register.xlsx"))
    except RegisterFileError as exc:
        return f"拒绝：{exc}"
    return f"{len(rows)} 行，{len(errors)} 处错误"


def _photo(data: bytes) -> str:
    from checklists.photos import PhotoError, processed

    try:
        photo = processed(data)
    except PhotoError as exc:
        return f"拒绝：{exc.message}"
    return f"接受 {photo.width}×{photo.height}"


def _evidence(data: bytes) -> str:
    from assessments.files import EvidenceFileError, check

    try:
        return f"接受 {check(data).kind}"
    except EvidenceFileError as exc:
        return f"拒绝：{exc}"


def _json(data: bytes) -> str:
    from intake.jsondata import JsonError, loads

    try:
        loads(data)
    except JsonError as exc:
        return f"拒绝：{exc.message}"
    return "接受"


def _number(data: bytes) -> str:
    from intake.numbers import NumberError, decimal_of

    try:
        decimal_of(data.decode())
    except NumberError as exc:
        return f"拒绝：{exc.message}"
    return "接受"


CASES = {
    # name: (what, the path it stands for, input file, function)
    "template_bomb": ("部门模板：声明 A1:XFD1048576，XFD1048576 一个单元格", "部门模板导入", "template_bomb.xlsx",
                      _template),
    "template_large": ("部门模板：4,990 行（上限 5,000）", "部门模板导入", "template_large.xlsx", _template),
    "register_bomb": ("社区名册：声明 A1:XFD1048576，C60000 一个单元格", "名册导入", "register_bomb.xlsx", _register),
    "register_large": ("社区名册：12,000 行", "名册导入", "register_large.xlsx", _register),
    "photo_rgba_49mp": ("7070×7070 RGBA PNG", "手机照片/原图、结果导入、现场复核", "rgba_49mp.png", _photo),
    "evidence_rgba_49mp": ("7070×7070 RGBA PNG", "自评佐证材料、试点申报材料", "rgba_49mp.png", _evidence),
    "photo_rgb_49mp": ("7000×7000 RGB PNG", "手机照片/原图、结果导入、现场复核", "rgb_49mp.png", _photo),
    "evidence_rgb_49mp": ("7000×7000 RGB PNG", "自评佐证材料、试点申报材料", "rgb_49mp.png", _evidence),
    "json_deep": ('{"values": + 50,000 个 [', "手机保存、JSONL 导入", "deep.json", _json),
    "jsonl_digits": ("600,000 位整数", "JSONL 导入", "digits.jsonl", _json),
    "number_digits": ("600,000 位数字文本", "表单、模板单元格", "digits.txt", _number),
}


def _status(field: str) -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024


def run_case(name: str, path: str) -> dict:
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    what, route, _, function = CASES[name]
    data = Path(path).read_bytes()
    function(b"")  # import what the case needs before measuring
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    before = _status("VmRSS")
    started = time.perf_counter()
    outcome = function(data)
    seconds = time.perf_counter() - started
    added = (_status("VmHWM") - before) / MIB
    return {"case": name, "input": what, "path": route, "bytes": len(data), "outcome": outcome,
            "ms": round(seconds * 1000, 1), "added_mb": round(added, 1),
            "peak_rss_mb": round(_status("VmHWM") / MIB, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description="intake: time and memory of hostile and large inputs")
    parser.add_argument("--case", nargs=2, metavar=("NAME", "FILE"))
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(*args.case), ensure_ascii=False))
        return
    paths = make_inputs()
    results = []
    for name, (_, _, file, _) in CASES.items():
        done = subprocess.run([sys.executable, "-m", "bench.intake", "--case", name, str(paths[file])], cwd=ROOT,
                              capture_output=True, text=True, check=True, timeout=600)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["target_met"] = result["added_mb"] < TARGET_MB
        results.append(result)
        mark = "✓" if result["target_met"] else "✗"
        print(f"{mark} {result['input']}（{result['path']}）：{result['outcome'][:60]} · {result['ms']} ms · "
              f"+{result['added_mb']} MB（峰值 {result['peak_rss_mb']} MB）", flush=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\n已写入 {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

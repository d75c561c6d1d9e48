"""smartsite.import_report: the one import report every import fills in."""

from dataclasses import dataclass

from smartsite.import_report import ImportReport, RowError


@dataclass
class Counted(ImportReport):
    done: int = 0

    def describe(self) -> str:
        return f"导入{self.done}项"


def test_summary_dry_run_and_failure_name_rows_and_files():
    report = Counted(rows=3, done=2, dry_run=True)
    assert report.ok and report.lines == 3 and report.summary() == "共3行；导入2项（试运行，未写入）"
    report.error(3, "代码为空", "b.csv")
    report.error(2, "名称为空")
    report.sort_errors()
    assert not report.ok and report.failure().splitlines() == ["导入失败，未写入任何数据：", "第2行：名称为空",
                                                               "b.csv 第3行：代码为空"]
    assert RowError(5, "x").line == 5

"""Compile the project's translation catalogs (locale/<lang>/LC_MESSAGES/*.po → .mo) for `make setup`.

GNU gettext's msgfmt does it where it is installed (Debian's `gettext`; .ci/run installs it), checking that each
translation keeps its msgid's placeholders (--check-format). On a machine without it the pure-Python polib writes
the same .mo files, without that check, and says so. Only catalogs older than their .po are compiled again.

Runs without Django (no settings, no database): `python site/smartsite/catalogs.py [LOCALE_DIR] [--force]`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"
NO_MSGFMT = "（本机没有 GNU gettext 的 msgfmt，已用 polib 编译，未检查占位符；apt-get install gettext）"


class CatalogError(Exception):
    """A catalog that does not compile; the message names the file and says why, in Chinese."""


def stale(locale_dir: Path = LOCALE_DIR, force: bool = False) -> list[Path]:
    """Return the .po files whose .mo is missing or older."""
    found = sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
    if force:
        return found
    return [po for po in found if not po.with_suffix(".mo").exists()
            or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]


def compile_one(po: Path, msgfmt: str | None) -> None:
    """Write po's .mo next to it (atomically: a failed compile leaves the old one)."""
    mo = po.with_suffix(".mo")
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    os.close(fd)
    try:
        if msgfmt:
            done = subprocess.run([msgfmt, "--check-format", "-o", tmp, str(po)], capture_output=True, text=True)
            if done.returncode:
                raise CatalogError(f"{po}：编译失败（msgfmt）：{done.stderr.strip()}")
        else:
            import polib

            try:
                polib.pofile(str(po)).save_as_mofile(tmp)
            except (OSError, ValueError) as exc:
                raise CatalogError(f"{po}：编译失败（polib）：{exc}") from None
        os.replace(tmp, mo)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def compile_catalogs(locale_dir: Path = LOCALE_DIR, force: bool = False) -> tuple[list[Path], str]:
    """Compile every stale catalog; return them and the tool used ("msgfmt" or "polib")."""
    msgfmt = shutil.which("msgfmt")
    todo = stale(locale_dir, force)
    for po in todo:
        compile_one(po, msgfmt)
    return todo, "msgfmt" if msgfmt else "polib"


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--force"]
    locale_dir = Path(args[0]) if args else LOCALE_DIR
    try:
        done, tool = compile_catalogs(locale_dir, force="--force" in argv)
    except CatalogError as exc:
        print(f"语言目录编译失败：{exc}", file=sys.stderr)
        return 1
    if done:
        note = "" if tool == "msgfmt" else NO_MSGFMT
        print(f"已编译 {len(done)} 个语言目录{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

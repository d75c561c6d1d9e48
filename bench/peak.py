"""Time one memory-hungry job in a fresh process and report that process's peak RSS.

    python -m bench.peak export OUT.xlsx   # the XLSX coverage export of the whole province (needs DATABASE_URL)
    python -m bench.peak photo PHOTO.jpg   # checklists.photos.process_photo on a phone JPEG (no database)

Prints one JSON line. Peak RSS is the kernel's high-water mark for the whole process (VmHWM), so it
includes the interpreter and Django themselves: the figure a container memory limit would see.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOTO_REPEATS = 5


def peak_mb() -> float:
    """Return this process's peak resident memory in MB.

    Linux's VmHWM belongs to the address space exec created; ru_maxrss would instead carry over the parent's
    resident size at fork time (the benchmark parent has just drawn a 12 MP picture).
    """
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024, 1)
    except (OSError, StopIteration):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def export(out: str) -> dict:
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from coverage.exports import write_xlsx
    from coverage.rollup import report_for
    from coverage.selectors import ALL
    from standards.rounds import open_round

    started = time.perf_counter()
    write_xlsx(report_for(open_round(), ALL), out)
    return {"export_xlsx_s": round(time.perf_counter() - started, 2), "export_peak_mb": peak_mb(),
            "export_bytes": Path(out).stat().st_size}


def photo(path: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from checklists.photos import process_photo

    data = Path(path).read_bytes()
    times = []
    for _ in range(PHOTO_REPEATS):
        started = time.perf_counter()
        processed = process_photo(data)
        times.append((time.perf_counter() - started) * 1000)
    return {"photo_ingest_ms": round(statistics.median(times), 1), "photo_peak_mb": peak_mb(),
            "photo_bytes": len(data), "photo_pixels": f"{processed.width}x{processed.height}"}


if __name__ == "__main__":
    job, target = sys.argv[1], sys.argv[2]
    print(json.dumps({"export": export, "photo": photo}[job](target)))

"""make bench: how fast papers builds rounds of 12, 120 and 480 returns, against LibreOffice.

For each size it generates a round in a temporary folder (the sample round's returns
repeated and varied, with a registry to match) and measures, side by side in one run:
the full build, a rebuild with nothing changed, a rebuild after one return changed, the
peak memory of the build's whole process tree, and LibreOffice converting the same DOCX
to PDF. It prints a table and writes it as JSON to output/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pipeline.config import load_paper  # noqa: E402
from pipeline.forms import write_form  # noqa: E402
from pipeline.vocabulary import label_key  # noqa: E402
from sample_round.sample import read_sample, segments  # noqa: E402


def make_round(folder: Path, size: int) -> list[Path]:
    """A round of ``size`` returns: the sample's twelve repeated, each copy its own partnership."""
    inputs = ROOT / "inputs"
    for name in ("paper.toml", "report.md"):
        shutil.copy(inputs / name, folder / name)
    paper, *_ = load_paper(folder)
    sample = read_sample()
    registry, files = [], []
    for index in range(size):
        typed = sample[index % len(sample)]
        copy = index // len(sample) + 1
        values, labels = {}, {}
        for label, value in typed.fields:
            key = label_key(label)
            values[key], labels[key] = value, label
        name = values["partnership"] if copy == 1 else f"{values['partnership']} {copy}"
        values["partnership"] = name
        kind = "district" if index % len(sample) >= 7 else "thematic"
        registry.append(f'[[partnership]]\nid = "p{index:04d}"\nname = "{name}"\nkind = "{kind}"\n')
        answers = [segments(typed.answer_text(i)) for i in range(len(paper.questions))]
        path = folder / f"return-{index:04d}.xlsx"
        write_form(path, paper, values=values, answers=answers, labels=labels)
        files.append(path)
    (folder / "partnerships.toml").write_text("\n".join(registry), encoding="utf-8")
    return files


def _tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their PSS.

    PSS, not RSS: a forked worker shares its parent's pages, and RSS would count them twice.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def run(command: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall time, peak memory of the process tree (sampled every 100 ms), and exit status."""
    # The sampler runs in this process, beside the build: its cost is part of what is measured.
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(process.pid))
            time.sleep(0.1)  # reading smaps of a large process is itself costly

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        sys.stderr.write(stderr.decode("utf-8", "replace")[-3000:])
    return elapsed, peak, process.returncode


def bench(size: int, work: Path) -> dict:
    inputs, output = work / "inputs", work / "output"
    inputs.mkdir()
    files = make_round(inputs, size)
    papers = [sys.executable, "-m", "pipeline", "papers", "--inputs", str(inputs), "--output", str(output)]
    result: dict = {"returns": size}

    full, peak, status = run(papers, cwd=ROOT)
    assert status == 0, f"the full build of {size} returns failed ({status})"
    pdf = next(output.glob("*.pdf"))
    docx = next(output.glob("*.docx"))
    result.update(full_s=full, peak_mb=peak / 1_048_576, pages=_pages(pdf))

    unchanged, _, _ = run(papers, cwd=ROOT)
    result.update(unchanged_s=unchanged, unchanged_pct=100 * unchanged / full)

    # One return changed: an answer gains a line, as when a partnership sends a correction.
    from openpyxl import load_workbook

    book = load_workbook(files[size // 2], rich_text=True)
    sheet = book["Return"]
    cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("•"))
    cell.value = cell.value + "\n• A late addition from the partnership"
    book.save(files[size // 2])
    one, _, _ = run(papers, cwd=ROOT)
    result.update(one_changed_s=one, one_changed_pct=100 * one / full)

    soffice = shutil.which("soffice")
    if soffice:
        profile = work / "lo-profile"
        convert = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work / "lo"), str(docx)]
        run(convert)  # a first run sets up LibreOffice's profile, as it is on an officer's machine
        libreoffice, _, _ = run(convert)
        result.update(libreoffice_s=libreoffice, ratio=full / libreoffice,
                      libreoffice_pages=_pages(work / "lo" / (docx.stem + ".pdf")))
    return result


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def table(results: list[dict]) -> str:
    head = ("returns", "pages", "full s", "peak MB", "unchanged", "one changed", "LibreOffice s", "full ÷ LO")
    rows = [head]
    for r in results:
        rows.append((
            str(r["returns"]), str(r["pages"]), f"{r['full_s']:.2f}", f"{r['peak_mb']:.0f}",
            f"{r['unchanged_s']:.2f} s ({r['unchanged_pct']:.0f}%)",
            f"{r['one_changed_s']:.2f} s ({r['one_changed_pct']:.0f}%)",
            f"{r['libreoffice_s']:.2f}" if "libreoffice_s" in r else "—",
            f"{r['ratio']:.2f}×" if "ratio" in r else "—",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12,120,480", help="round sizes, comma-separated")
    parser.add_argument("--output", default=str(ROOT / "output" / "bench"), help="where the JSON goes")
    args = parser.parse_args()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"papers-bench-{size}-") as work:
            results.append(bench(size, Path(work)))
            print(f"{size} returns: {json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in results[-1].items()})}", flush=True)
    print()
    print(table(results))
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "results": results}
    (out / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nWrote {out / 'bench.json'}")


if __name__ == "__main__":
    main()

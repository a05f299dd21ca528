"""make bench: how fast papers builds rounds of 12, 120 and 480 returns (against LibreOffice), the sample pack, a 1,000-page pack, and papers with wide tables.

For each size it generates a round in a temporary folder (the sample round's returns
repeated and varied, with a registry to match) and measures, side by side in one run:
the full build, a rebuild with nothing changed, a rebuild after one return changed, the
peak memory of the build's whole process tree, and LibreOffice converting the same DOCX
to PDF. It prints a table and writes it as JSON to output/bench/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pipeline.prose import MAX_CELLS, MAX_COLUMNS  # noqa: E402
from pipeline.round.config import load_paper  # noqa: E402
from pipeline.round.forms import write_form  # noqa: E402
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


def _tree_memory(pid: int) -> tuple[int, int]:
    """Memory of a process and all its descendants, in bytes: the sum of their PSS; and of
    those that are papers' own (Python: the build and its workers, not LibreOffice).

    PSS, not RSS: a forked worker shares its parent's pages, and RSS would count them twice.
    """
    total, own, stack = 0, 0, [pid]
    while stack:
        current = stack.pop()
        try:
            python = Path(f"/proc/{current}/comm").read_text().startswith("python")
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    own += int(line.split()[1]) * 1024 if python else 0
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total, own


def _papers(command: str, inputs: Path, output: Path) -> list[str]:
    """The papers command ``command`` on ``inputs``, into ``output``, as an officer runs it."""
    return [sys.executable, "-m", "pipeline", command, "--inputs", str(inputs), "--output", str(output)]


def run(command: list[str], cwd: Path | None = None) -> tuple[float, tuple[int, int], int]:
    """Wall time, peak memory of the process tree and of papers' own processes in it (each
    sampled every 100 ms), and exit status."""
    # The sampler runs in this process, beside the build: its cost is part of what is measured.
    # As on an officer's machine, Python keeps the code it compiles: PYTHONDONTWRITEBYTECODE
    # (set in some sandboxes) would have every run compile papers' modules afresh, 0.2 s each.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = (0, 0)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            now = _tree_memory(process.pid)
            peak = (max(peak[0], now[0]), max(peak[1], now[1]))
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
    papers = _papers("papers", inputs, output)
    result: dict = {"returns": size}

    full, peak, status = run(papers, cwd=ROOT)
    assert status == 0, f"the full build of {size} returns failed ({status})"
    pdf = next(output.glob("*.pdf"))
    docx = next(output.glob("*.docx"))
    result.update(full_s=full, peak_mb=peak[0] / 1_048_576, pages=_pages(pdf))

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


def bench_pack(work: Path) -> dict:
    """The sample meeting: its full build (every paper and the pack), nothing changed, and one
    house-style paper changed."""
    inputs, output = work / "inputs", work / "output"
    shutil.copytree(ROOT / "inputs", inputs)
    papers = _papers("papers", inputs, output)
    full, peak, status = run(papers, cwd=ROOT)
    assert status == 0, f"the sample meeting's build failed ({status})"
    pack = next(output.glob("*-pack.pdf"))
    result = {"pack_full_s": full, "pack_peak_mb": peak[0] / 1_048_576, "pack_pages": _pages(pack)}
    unchanged, _, _ = run(papers, cwd=ROOT)
    paper = inputs / "papers" / "progress-through-partnership-capacity-building.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nA late paragraph from the author.\n", encoding="utf-8")
    one, _, _ = run(papers, cwd=ROOT)
    result.update(pack_unchanged_s=unchanged, pack_unchanged_pct=100 * unchanged / full,
                  pack_one_changed_s=one, pack_one_changed_pct=100 * one / full)
    return result


def make_big_meeting(folder: Path) -> None:
    """The sample meeting grown to a council's size: 30 more house-style papers, 6 supplied
    Word papers and 18 supplied tagged PDFs of 45 pages each — a pack of about 1,000 pages."""
    import pikepdf
    from docx import Document

    from pipeline.filenames import TEMPLATES
    from pipeline.render.layout import lay_out

    shutil.copytree(ROOT / "inputs", folder)
    seeds = sorted((folder / "papers").glob("*.md"))
    items = []
    for n in range(30):
        title = f"Service review {n + 1}"
        text = re.sub(r'(?m)^title = ".*"$', f'title = "{title}"', seeds[n % len(seeds)].read_text(encoding="utf-8"), count=1)
        (folder / "papers" / f"review-{n + 1}.md").write_text(
            text + f"\n{'More detail on the service, its budget and its staff. ' * 40}\n", encoding="utf-8")
        items.append((f"{20 + n}", title, f"papers/review-{n + 1}.md"))
    for n in range(6):
        document = Document()
        document.core_properties.title = f"Contract report {n + 1}"
        document.add_heading(f"Contract report {n + 1}", 1)
        for k in range(60):
            document.add_paragraph(f"Paragraph {k + 1} of the contract report. " * 6)
        document.save(folder / "supplied" / f"contract-{n + 1}.docx")
        items.append((f"{50 + n}", f"Contract report {n + 1}", f"supplied/contract-{n + 1}.docx"))
    paragraphs = "".join(f"<h2>Section {k + 1}</h2>" + "<p>" + "A finding of the inspection, with its evidence. " * 30
                         + "</p>" for k in range(140))
    tagged = lay_out(f"<html lang='en-GB'><head><title>Inspection</title><link rel='stylesheet' href='report.css'>"
                     f"</head><body><h1>Inspection report</h1>{paragraphs}</body></html>", TEMPLATES, "Inspection",
                     "Inspection", dt.datetime(2011, 3, 17, 12), True)
    for n in range(18):
        with pikepdf.open(io.BytesIO(tagged)) as pdf:
            del pdf.pages[45:]
            pdf.docinfo["/Title"] = f"Inspection report {n + 1}"  # each its own file, as supplied ones are
            pdf.save(folder / "supplied" / f"inspection-{n + 1}.pdf")
        items.append((f"{60 + n}", f"Inspection report {n + 1}", f"supplied/inspection-{n + 1}.pdf"))
    with (folder / "meeting.toml").open("a", encoding="utf-8") as meeting:
        for number, title, paper in items:
            meeting.write(f'\n[[item]]\nnumber = "{number}"\ntitle = "{title}"\npurpose = "information"\npaper = "{paper}"\n')


def bench_big_pack(work: Path) -> dict:
    """A pack of about 1,000 pages: the full build, nothing changed, one house-style paper
    changed (a word) — by a build of its own, and with papers watch running — and qpdf
    putting the same PDFs together plainly, tags and numbering lost, as the floor to
    compare with; the pack through the PDF/UA-1 validator."""
    import page

    inputs, output = work / "inputs", work / "output"
    make_big_meeting(inputs)
    papers = _papers("papers", inputs, output)
    full, peak, status = run(papers, cwd=ROOT)
    assert status in (0, 1), f"the big meeting's build failed ({status})"
    pack = next(output.glob("*-pack.pdf"))
    result = {"big_full_s": full, "big_peak_mb": peak[0] / 1_048_576, "big_own_peak_mb": peak[1] / 1_048_576,
              "big_pages": _pages(pack)}
    unchanged, _, _ = run(papers, cwd=ROOT)
    # One word of one paper changed, then the plain merge of the same PDFs, in turn three
    # times: the medians, and the median of the three ratios (this machine's speed drifts).
    paper = inputs / "papers" / "review-7.md"
    original = paper.read_text(encoding="utf-8")
    pairs = []
    for turn in range(3):
        paper.write_text(original.replace("service", f"service{turn}", 1), encoding="utf-8")
        one, _, _ = run(papers, cwd=ROOT)
        plain, merger = _plain_merge(output, pack, work / "plain.pdf")
        pairs.append((one, plain))
    one, plain = (statistics.median(p[i] for p in pairs) for i in (0, 1))
    # A correction that adds a page: every page after it renumbered (from parts kept).
    before = _pages(pack)
    paper.write_text(original + "\n" + "A late correction, with more to say about the service. " * 90 + "\n",
                     encoding="utf-8")
    longer, _, _ = run(papers, cwd=ROOT)
    assert _pages(pack) > before, "the correction did not add a page"
    result.update(big_page_added_s=longer, big_page_added_pct=100 * longer / full,
                  big_page_added_over_plain=longer / plain)  # the merge's median, a page fewer
    paper.write_text(original, encoding="utf-8")
    run(papers, cwd=ROOT)
    watched, watched_build = _watched_change(inputs, output, paper)
    report = page.validate_pdf_bytes(pack.read_bytes(), profile="ua1")
    result.update(big_unchanged_s=unchanged, big_unchanged_pct=100 * unchanged / full, big_one_changed_s=one,
                  big_one_changed_pct=100 * one / full, big_plain_merge_s=plain, big_plain_merger=merger,
                  big_one_over_plain=statistics.median(a / b for a, b in pairs),
                  big_ua_failures=len({f.rule_id for f in report.failures}),
                  big_watch_one_changed_s=watched, big_watch_one_changed_pct=100 * watched / full,
                  big_watch_over_plain=watched / plain, big_watch_build_s=watched_build)
    return result


def _watched_change(inputs: Path, output: Path, paper: Path) -> tuple[float, float]:
    """With ``papers watch`` running (and its first build done), the seconds from a word of
    ``paper`` changed to the rebuild finished, its wait for the change to settle included;
    and the rebuild's own seconds, as it reports them."""
    watching = subprocess.Popen(_papers("watch", inputs, output),
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def built() -> float:
        for line in watching.stdout:
            if line.startswith("Built in"):
                return float(line.split()[2])
        raise RuntimeError("papers watch ended before it built")

    try:
        built()
        time.sleep(1)
        start = time.perf_counter()
        paper.write_text(paper.read_text(encoding="utf-8").replace("service", "servicing", 1), encoding="utf-8")
        own = built()
        return time.perf_counter() - start, own
    finally:
        watching.send_signal(signal.SIGINT)
        watching.communicate(timeout=60)


def _plain_merge(output: Path, pack: Path, to: Path) -> tuple[float, str]:
    """The floor to compare a rebuild with: the PDFs the pack is made from (papers' own, and
    the supplied ones and appendices copied beside them) put together plainly, tags and
    numbering lost, by qpdf's command (as the issue measured it), or where qpdf is not
    installed (apt-get install qpdf) by pikepdf, qpdf's library: the seconds, and which."""
    import pikepdf

    sources = sorted(p for p in output.glob("*.pdf") if p != pack)
    qpdf = shutil.which("qpdf")
    start = time.perf_counter()
    if qpdf:
        subprocess.run([qpdf, "--empty", "--pages", *map(str, sources), "--", str(to)], check=True)
    else:
        merged = pikepdf.new()
        opened = [pikepdf.open(path) for path in sources]
        for source in opened:
            merged.pages.extend(source.pages)
        merged.save(to)
    return time.perf_counter() - start, "qpdf" if qpdf else "pikepdf"


def bench_wide(work: Path) -> dict:
    """The sample meeting with a paper holding a table as large as papers accepts (prose.py's
    MAX_COLUMNS and MAX_CELLS), then one of 5,000 columns, which it refuses: the peak memory of
    each build, LibreOffice's none (it converts only the supplied Word paper, here kept)."""
    inputs, output = work / "inputs", work / "output"
    shutil.copytree(ROOT / "inputs", inputs)
    with (inputs / "meeting.toml").open("a", encoding="utf-8") as meeting:
        meeting.write('\n[[item]]\nnumber = "9"\ntitle = "Figures"\npurpose = "information"\npaper = "papers/figures.md"\n')
    papers = _papers("papers", inputs, output)
    result = {}
    for name, columns, rows in (("limit", MAX_COLUMNS, MAX_CELLS // MAX_COLUMNS - 1), ("wide", 5000, 3)):
        table = ["| " + " | ".join(f"Column {c + 1}" for c in range(columns)) + " |", "|" + "---|" * columns,
                 *("| " + " | ".join(f"{(r + 1) * (c + 1):,}" for c in range(columns)) + " |" for r in range(rows))]
        (inputs / "papers" / "figures.md").write_text('+++\ntitle = "Figures"\n+++\n\n## The figures\n\n'
                                                      + "\n".join(table) + "\n", encoding="utf-8")
        seconds, peak, status = run(papers, cwd=ROOT)
        built = (output / "2011-03-17-figures.pdf").is_file()
        result.update({f"{name}_s": seconds, f"{name}_peak_mb": peak[0] / 1_048_576, f"{name}_built": built,
                       f"{name}_status": status})
        if name == "limit":
            assert built, "the table at papers' limits was not built"
            (output / "2011-03-17-figures.pdf").unlink()
    report = next(output.glob("*-committee-check.txt")).read_text(encoding="utf-8")
    result["wide_refused"] = "figures.md" in report and "5,000 columns" in report and not result["wide_built"]
    return result


TARGETS = [
    # (what, the figure, how it is worked out from the results, the target, at most)
    ("sample round, full build ÷ LibreOffice", lambda r: r.get(12, {}).get("ratio"), "{:.2f}×", 1.5),
    ("120 returns, full build ÷ LibreOffice", lambda r: r.get(120, {}).get("ratio"), "{:.2f}×", 2.0),
    ("480 returns, full build ÷ LibreOffice", lambda r: r.get(480, {}).get("ratio"), "{:.2f}×", 2.0),
    *[(f"{n} returns, one changed ÷ full build", (lambda n: lambda r: r.get(n, {}).get("one_changed_pct"))(n),
       "{:.0f}%", 25.0) for n in (12, 120, 480)],
    ("sample pack, one paper changed ÷ full pack build", lambda r: r.get("pack", {}).get("pack_one_changed_pct"),
     "{:.0f}%", 25.0),
    ("480 returns, peak memory", lambda r: r.get(480, {}).get("peak_mb"), "{:.0f} MB", 400.0),
    *[(f"{n} returns, nothing changed ÷ full build", (lambda n: lambda r: r.get(n, {}).get("unchanged_pct"))(n),
       "{:.1f}%", 5.0) for n in (12, 120, 480)],
    ("sample pack, nothing changed ÷ full pack build", lambda r: r.get("pack", {}).get("pack_unchanged_pct"),
     "{:.1f}%", 5.0),
    # Issue 22: a council's pack of about 1,000 pages.
    ("1,000-page pack, nothing changed ÷ full build", lambda r: r.get("big", {}).get("big_unchanged_pct"), "{:.1f}%", 5.0),
    ("1,000-page pack, one paper changed ÷ full build", lambda r: r.get("big", {}).get("big_one_changed_pct"),
     "{:.0f}%", 15.0),
    ("1,000-page pack, one paper changed with papers watch running ÷ full build",
     lambda r: r.get("big", {}).get("big_watch_one_changed_pct"), "{:.0f}%", 15.0),
    ("1,000-page pack, one paper changed with papers watch running ÷ plain merge of the same PDFs",
     lambda r: r.get("big", {}).get("big_watch_over_plain"), "{:.2f}×", 1.0),
    ("1,000-page pack, one paper changed ÷ plain merge of the same PDFs", lambda r: r.get("big", {}).get("big_one_over_plain"),
     "{:.2f}×", 1.0),
    # Issue 33: a correction that adds a page, and a paper's width.
    ("1,000-page pack, a correction adding a page ÷ full build", lambda r: r.get("big", {}).get("big_page_added_pct"),
     "{:.0f}%", 15.0),
    ("1,000-page pack, a correction adding a page ÷ plain merge of the same PDFs",
     lambda r: r.get("big", {}).get("big_page_added_over_plain"), "{:.2f}×", 1.0),
    (f"a paper with the largest table accepted ({MAX_COLUMNS} columns, {MAX_CELLS:,} cells), peak memory",
     lambda r: r.get("wide", {}).get("limit_peak_mb"), "{:.0f} MB", 500.0),
    ("a paper with a 5,000-column table, peak memory (refused by name)",
     lambda r: r.get("wide", {}).get("wide_peak_mb"), "{:.0f} MB", 500.0),
    ("a paper with a 5,000-column table, not refused by name", lambda r: (
        None if "wide" not in r else float(not r["wide"]["wide_refused"])), "{:.0f}", 0.0),
    ("1,000-page pack, peak memory, LibreOffice's conversions included", lambda r: r.get("big", {}).get("big_peak_mb"),
     "{:.0f} MB", 400.0),
    ("1,000-page pack, peak memory of papers' own processes", lambda r: r.get("big", {}).get("big_own_peak_mb"),
     "{:.0f} MB", 400.0),
    ("1,000-page pack, PDF/UA-1 rules failed", lambda r: r.get("big", {}).get("big_ua_failures"), "{:.0f}", 0.0),
]


def targets(by_size: dict) -> str:
    """Each target beside its figure, and whether it is met."""
    lines = []
    for what, figure, fmt, limit in TARGETS:
        value = figure(by_size)
        if value is None:
            lines.append(f"  {what}: not measured")
            continue
        verdict = "met" if value <= limit else "MISSED"
        lines.append(f"  {what}: {fmt.format(value)} (target ≤ {fmt.format(limit)}) — {verdict}")
    return "\n".join(lines)


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
    # Started from a shell's background (``make bench &``), this process ignores Ctrl-C, and
    # so would the papers watch it starts and stops with one: it is given Python's own.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12,120,480", help="round sizes, comma-separated")
    parser.add_argument("--output", default=str(ROOT / "output" / "bench"), help="where the JSON goes")
    parser.add_argument("--no-pack", action="store_true", help="leave out the sample meeting's pack")
    parser.add_argument("--no-big-pack", action="store_true", help="leave out the 1,000-page pack")
    parser.add_argument("--no-wide", action="store_true", help="leave out the paper with a wide table")
    args = parser.parse_args()
    results = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        with tempfile.TemporaryDirectory(prefix=f"papers-bench-{size}-") as work:
            results.append(bench(size, Path(work)))
            print(f"{size} returns: {json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in results[-1].items()})}", flush=True)
    by_size = {r["returns"]: r for r in results}
    if not args.no_pack:
        with tempfile.TemporaryDirectory(prefix="papers-bench-pack-") as work:
            by_size["pack"] = bench_pack(Path(work))
            print(f"sample pack: {json.dumps({k: round(v, 3) for k, v in by_size['pack'].items()})}", flush=True)
    if not args.no_big_pack:
        with tempfile.TemporaryDirectory(prefix="papers-bench-big-") as work:
            by_size["big"] = bench_big_pack(Path(work))
            print(f"1,000-page pack: {json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in by_size['big'].items()})}",
                  flush=True)
    if not args.no_wide:
        with tempfile.TemporaryDirectory(prefix="papers-bench-wide-") as work:
            by_size["wide"] = bench_wide(Path(work))
            print(f"wide tables: {json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in by_size['wide'].items()})}",
                  flush=True)
    print()
    print(table(results))
    if "pack" in by_size:
        p = by_size["pack"]
        print(f"\nsample pack: {p['pack_pages']} pages, full {p['pack_full_s']:.2f} s, peak {p['pack_peak_mb']:.0f} MB, "
              f"nothing changed {p['pack_unchanged_s']:.2f} s ({p['pack_unchanged_pct']:.1f}%), "
              f"one paper changed {p['pack_one_changed_s']:.2f} s ({p['pack_one_changed_pct']:.0f}%)")
    if "big" in by_size:
        b = by_size["big"]
        print(f"\n1,000-page pack: {b['big_pages']} pages, full {b['big_full_s']:.2f} s, peak {b['big_peak_mb']:.0f} MB, "
              f"nothing changed {b['big_unchanged_s']:.2f} s, one paper changed {b['big_one_changed_s']:.2f} s, "
              f"a correction adding a page {b['big_page_added_s']:.2f} s, "
              f"plain merge of the same PDFs ({b['big_plain_merger']}) {b['big_plain_merge_s']:.2f} s, "
              f"peak of papers' own processes {b['big_own_peak_mb']:.0f} MB, "
              f"one paper changed with papers watch running {b['big_watch_one_changed_s']:.2f} s from the change "
              f"({b['big_watch_build_s']:.1f} s of it the rebuild)")
    if "wide" in by_size:
        w = by_size["wide"]
        print(f"\nwide tables: {MAX_COLUMNS} columns of {MAX_CELLS:,} cells built in {w['limit_s']:.1f} s, peak {w['limit_peak_mb']:.0f} MB; "
              f"5,000 columns {'refused by name' if w['wide_refused'] else 'NOT refused'} in {w['wide_s']:.1f} s, "
              f"peak {w['wide_peak_mb']:.0f} MB")
    print("\nTargets (issues 14, 22 and 33), side by side in this run:")
    print(targets(by_size))
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "results": results,
              "pack": by_size.get("pack"), "big_pack": by_size.get("big"), "wide": by_size.get("wide")}
    (out / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nWrote {out / 'bench.json'}")


if __name__ == "__main__":
    main()

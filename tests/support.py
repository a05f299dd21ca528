"""What the tests share: the sample's folders, inputs made inline, papers run as an officer runs
them, and outputs read back. Fixtures are in conftest.py; everything else any test needs
from another is here."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import html.parser
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook
from pypdf import PdfReader

from pipeline import pdf
from pipeline.intake.answers import parse_text
from pipeline.machinery.workers import Workers, cores
from pipeline.parts import Part, furniture, lay_out, warm_up
from pipeline.records.problems import Source
from pipeline.records.returns import Answer, Return, Value
from pipeline.records.rich_text import Block, BlockKind, Run
from pipeline.records.round import Entry, Round, Status
from pipeline.records.settings import Kind, Paper, Partnership, Section
from sample_round.sample import plain

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
NOW = dt.datetime(2011, 3, 9, 12, 0)
"""When a build a test runs itself takes place (the command line reads the clock; a test says the time)."""
QUESTIONS = (
    "What is the current focus for the Partnership?",
    "What has the Partnership achieved since the last update? (given in September 2010)",
    "What are your plans for the year ahead? (e.g. Membership changes, priorities)",
    "What do you think the role of the Partnership in the Big Society is?",
)


# --- papers run as an officer runs it --------------------------------------------------


def cli_env(**extra: str) -> dict[str, str]:
    """The environment papers runs in here: as typed at a prompt, not through make (which
    `make test` would otherwise pass on), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PAPERS_VIA_MAKE"}
    return {**env, **extra}


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
        env=env or cli_env(), stdin=subprocess.DEVNULL,
    )


# --- inputs made inline ------------------------------------------------------------


def make_workbook(path: Path, rows: list[list[object]], title: str = "Return") -> Path:
    """A workbook with one sheet holding ``rows`` from A1, written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """Every paragraph of a .docx in document order, tables included: (style id, text)."""
    document = Document(path)
    out = []
    for p in document.element.body.iter(qn("w:p")):
        style = p.pPr.pStyle.val if p.pPr is not None and p.pPr.pStyle is not None else "Normal"
        out.append((style, "".join(t.text or "" for t in p.iter(qn("w:t")))))
    return out


def docx_text(path: Path) -> str:
    return normalise(" ".join(text for _, text in docx_paragraphs(path)))


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


_RUNNING = re.compile(r"Page \d+ of \d+")
_REPEATED_HEAD = re.compile(r"\A\s*Partnership (?!returns\n)[^\n]*\n")  # not the heading "Partnership returns"


def pdf_text(path: Path, running_head: str = "") -> str:
    """The PDF's text with the running header and footer removed, whitespace folded."""
    pages = []
    for text in pdf_pages(path):
        # WeasyPrint breaks lines after a hyphen ("high-|tech"); the break is not a space.
        text = re.sub(r"-\n", "-", text)
        text = _RUNNING.sub(" ", text)
        if running_head:
            text = text.replace(running_head, " ")
        # A page that continues a partnership's table opens on its repeated head row
        # (an artifact, drawn again on each page); it is not the paper's text.
        text = _REPEATED_HEAD.sub(" ", text, count=1)
        # List markers are drawn, not content, and pypdf returns them out of order.
        text = re.sub("[•◦▪]", " ", text)
        pages.append(text)
    return normalise(" ".join(pages))


def html_text(page: str) -> str:
    """The words of an HTML page as a reader meets them, runs of space made one (what a
    screen reader reads, visually hidden text included)."""
    words: list[str] = []

    class Reader(html.parser.HTMLParser):
        skipping = False

        def handle_starttag(self, tag, attrs):
            self.skipping = tag in ("style", "script", "title")

        def handle_endtag(self, tag):
            self.skipping = False

        def handle_data(self, data):
            if not self.skipping:
                words.append(data)

    Reader(convert_charrefs=True).feed(page)
    return " ".join("".join(words).split())


def normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui libreoffice-writer-nogui)",
)

needs_workers = pytest.mark.skipif(not Workers().usable, reason=f"workers need Linux and two cores ({cores()} here)")

# A program started with Ctrl-C ignored keeps ignoring it, and so does every program it starts.
needs_ctrl_c = pytest.mark.skipif(
    signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
    reason="Ctrl-C is ignored in this test run (started in the background by a shell without job control?)",
)


def libreoffice_convert(files: list[Path], target: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert ``files`` with headless LibreOffice in one run; the converted files, in order."""
    outdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    suffix = "." + target.split(":", 1)[0]
    converted = [outdir / (f.stem + suffix) for f in files]
    missing = [p.name for p in converted if not p.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout} {result.stderr}"
    return converted


HEADER = [
    ["Partnership", "Vale Partnership"],
    ["Date of completion", "Feb 2011"],
    ["Contact officer", "Emma Morris"],
    ["Contact details", "01491 823612, emma.morris@southoxon.gov.uk"],
    ["Chairman", "John Robertson"],
    ["OCC Cabinet Member", "Cllr Judith Heathcoat"],
]
ANSWERS = [[q] for q in QUESTIONS]


def full_return(path: Path, header=HEADER, answers=None) -> Path:
    rows = [list(r) for r in header] + [[]]
    for index, question in enumerate(QUESTIONS):
        rows.append([question])
        rows.append([(answers or {}).get(index, f"• Answer {index + 1}")])
    return make_workbook(path, rows)


HOSTILE = "R&D <b>bold?</b> {{ secret }} {% if x %}y{% endif %} {%p endfor %} 5 > 3"
WHEN = dt.datetime(2011, 3, 17, 12)


def make_round(answers: list[str], name: str = HOSTILE) -> Round:
    paper = Paper(
        committee="Scrutiny & Audit <Committee>",
        meeting_date=dt.date(2011, 3, 17),
        title="Update {{ title }}",
        questions=QUESTIONS,
        sections=(Section("Purpose", (Block(BlockKind.PARAGRAPH, (Run("To note & agree."),)),), True),),
    )
    ret = Return(file="r.xlsx", sheet="Return")
    ret.values["partnership"] = Value(name, Source("r.xlsx"))
    ret.answers = tuple(Answer(parse_text(text), Source("r.xlsx")) for text in answers)
    partnership = Partnership("p", "A Partnership", Kind.THEMATIC)
    missing = Partnership("m", "Missing Partnership", Kind.DISTRICT)
    return Round(paper, (Entry(partnership, Status.RECEIVED, ret), Entry(missing, Status.MISSING)))


def hostile_round() -> Round:
    long_answer = "\n".join(f"• {HOSTILE} point {i} with a longer line to fill the page" for i in range(70))
    return make_round([long_answer, f"1. {HOSTILE}\n2. <script>x</script>", "a) & b\nb) c", HOSTILE])


# --- the sample meeting and the seeds it was written from ---------------------------


SEEDS = ROOT.parent / "shared" / "seeds"

PAPERS = {
    "000": "2011-03-17-progress-through-partnership-2009-10",
    "001": "2011-03-17-update-from-the-partnerships-and-communities-team",
    "002": "2011-03-17-south-east-employers-funding-for-lsp-capacity-building",
    "004": "2011-03-17-progress-through-partnership-capacity-building",
}


def seed_text(number: str) -> str:
    """The seed's text less its meeting line ("LSP Executive – 21 May 2007") and agenda item
    ("Agenda item 9"): the paper carries the meeting's, in the house style's title block."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not re.fullmatch(r"Agenda item \d+", line.strip())]
    meeting = next(i for i, line in enumerate(lines) if re.search(r"\b20\d\d\b", line))
    return "\n".join(lines[:meeting] + lines[meeting + 1:])


def seed_words(text: str) -> list[str]:
    """The words of a seed's content: list markers, paragraph numbers and markup left aside."""
    text = normalise(text.replace("“", '"').replace("”", '"').replace("**", ""))
    words = []
    for word in text.split():
        if word in ("-", "·", "•") or re.fullmatch(r"\d\.|[a-c]\)", word):
            continue
        words.append(word)
    return words


PACK = "2011-03-17-strategy-and-partnerships-scrutiny-committee-pack.pdf"


# --- the PDF made in one process -----------------------------------------------------


def render_pdf(parts: str | list[str], templates: Path, title: str, subject: str, when: dt.datetime,
               with_furniture=None) -> bytes:
    """The HTML ``parts`` laid out one after another and put together, with
    ``with_furniture`` (an html.Furniture) laid out for their pages and drawn over them: the
    same steps, through the same functions and workers, as a build (build.py), without its
    cache. (tests/test_build.py holds the two to the same bytes.)"""
    html = [parts] if isinstance(parts, str) else parts
    with Workers(warm_up=warm_up) as workers:
        laid, _ = lay_out([Part(h, title, subject, when) for h in html], templates, workers)
        margins = []
        if with_furniture is not None:
            stamps = furniture(with_furniture.pages_html(sum(done.pages for done in laid), templates), when)
            margins = [done.data for done in lay_out(stamps, templates, workers)[0]]
    return pdf.join([done.data for done in laid], margins)


# --- outputs read back ---------------------------------------------------------------


_MARKER = re.compile(r"^\s*(?:[•○\-]|\d+\.|[a-z]\))\s+")


def answer_items(ret) -> list[str]:
    """Every line typed in the return's answers, without its bullet or number."""
    return [
        normalise(plain(_MARKER.sub("", line)))
        for index in sorted(ret.answers)
        for line in ret.answers[index]
    ]


ACTIVE = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/EmbeddedFiles", "/AcroForm",
                    "/AA", "/FileAttachment"})
"""The keys and names of active content in a PDF (what a public pack must not carry)."""


def active_content(data: bytes) -> set[str]:
    """Each kind of active content (ACTIVE) anywhere in the PDF ``data``: every key or name
    of an object reachable from its catalog."""
    found: set[str] = set()
    seen: set = set()

    def walk(obj) -> None:
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key in obj.keys():
                found.update({key} & ACTIVE)
                walk(obj[key])
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                walk(item)
        elif isinstance(obj, pikepdf.Name) and str(obj) in ACTIVE:
            found.add(str(obj))

    with pikepdf.open(io.BytesIO(data)) as document:
        walk(document.Root)
    return found


class Mailbox:
    """An aiosmtpd handler that keeps what arrives, and can refuse or fall over on cue."""

    def __init__(self, refuse=(), drop_at: int | None = None):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse = set(refuse)
        self.drop_at = drop_at
        self.down = False

    async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: N802
        if self.down:
            return "421 4.3.0 Service not available"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.drop_at is not None and len(self.messages) + 1 == self.drop_at:
            self.down = True
            server.transport.close()  # the connection drops with the message unanswered
            return "421 closing"
        try:  # a message with an address beyond ASCII comes in UTF-8 (SMTPUTF8)
            message = email.message_from_string(envelope.content.decode("utf-8"), policy=email.policy.default)
        except UnicodeDecodeError:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def running_in(group: int) -> list[int]:
    """The processes of ``group`` still running (a killed one may linger a moment as a zombie)."""
    for _ in range(100):
        running = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                running.append(int(stat.parent.name))
        if not running:
            return []
        time.sleep(0.05)
    return running


# --- the paper sent, as an officer sends it ---------------------------------------------

PEOPLE = [("Cllr Ann Able", "ann@example.org"), ("Cllr Ben Best", "ben@example.org"), ("Clerk", "clerk@example.org")]
"""A distribution list of three."""


CABINET_LIST = """[[recipient]]
name = "Cllr Ann Able"
email = "ann@example.org"
exempt = true

[[recipient]]
name = "Press desk"
email = "press@example.org"
"""
"""meeting.toml's list for the Cabinet: a member entitled to exempt papers, and the press, who is not."""


def send_paper(inputs: Path, output: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``papers send`` run on ``inputs`` and ``output``, as typed at a prompt (no terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "send", "--inputs", str(inputs), "--output", str(output), *extra],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        env=cli_env(**(env or {})),
    )


def smtp_settings(port: int, security: str = "none", extra: str = "") -> str:
    """paper.toml's [mail] for a server on loopback at ``port``."""
    return f'[mail]\nfrom = "Claire Moore <claire@example.org>"\n[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n{extra}'


def every_text(folder: Path, leaving_out: str = "") -> list[tuple[Path, str]]:
    """Each file under ``folder`` (but those under its subfolder ``leaving_out``) with the text
    it holds: a PDF's read, a Word file's XML, a draft's parts and the text of the PDFs it
    carries, anything else as bytes."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or (leaving_out and path.relative_to(folder).parts[0] == leaving_out):
            continue
        data = path.read_bytes()
        if path.suffix == ".pdf":
            text = " ".join(pdf_pages(path))
        elif path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as word:
                text = " ".join(word.read(name).decode("utf-8", "replace") for name in word.namelist())
        elif path.suffix == ".eml":
            message = email.message_from_bytes(data, policy=email.policy.default)
            text = " ".join(" ".join(pdf_pages(io.BytesIO(part.get_content())))
                            if (part.get_filename() or "").endswith(".pdf") else str(part.get_content())
                            for part in message.walk() if not part.is_multipart())
        else:
            text = data.decode("utf-8", "replace")
        found.append((path, text))
    return found


def untagged_pdf(text: str) -> bytes:
    """A one-page PDF of ``text`` without tags, as a scanner or an old export makes one."""
    return weasyprint.HTML(string=f"<html lang='en-GB'><body><p>{text}</p></body></html>").write_pdf()


def helvetica_pdf(text: str, width: float = 612, height: float = 792) -> bytes:
    """A one-page US Letter PDF of ``text`` in Helvetica it does not carry, without tags, as
    an old office export makes one."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, width, height],
                                           Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))))
    page.obj.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 {height - 72} Td (".encode() + text.encode("cp1252") + b") Tj ET")
    pdf.pages.append(page)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


# --- web pages in headless Chromium -------------------------------------------------------

AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, work) -> list[tuple[str, int]]:
    """axe-core's WCAG 2.2 AA violations on ``page``, run in headless Chromium: (rule, count)."""
    text = page.read_text(encoding="utf-8")
    runner = (
        f"<script>{AXE.read_text(encoding='utf-8')}</script><script>"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG_22_AA)}}}}}).then(function (r) {{"
        "document.documentElement.setAttribute('data-axe', JSON.stringify(r.violations.map("
        "function (v) { return [v.id, v.nodes.length]; })));});</script>"
    )
    copy = work / f"axe-{page.name}"
    copy.write_text(text.replace("</body>", runner + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000",
         "--dump-dom", copy.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    found = re.search(r'data-axe="([^"]*)"', result.stdout)
    assert found, f"axe did not finish on {page.name}: {result.stderr[-500:]}"
    return [tuple(v) for v in json.loads(html.unescape(found.group(1)))]


def reflow_overflow(page: Path, work: Path, width: int = 320) -> int:
    """How many CSS pixels ``page`` runs wider than a ``width``-pixel window (WCAG 1.4.10's
    reflow: 320 is a 1280-pixel screen at 400% zoom), in headless Chromium: 0 if it reflows."""
    probe = ("<script>window.addEventListener('load', function () { document.documentElement.setAttribute("
             "'data-overflow', String(document.documentElement.scrollWidth - window.innerWidth)); });</script>")
    copy = work / f"reflow-{page.name}"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},800",
         "--virtual-time-budget=10000", "--dump-dom", copy.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    found = re.search(r'data-overflow="(-?\d+)"', result.stdout)
    assert found, f"Chromium did not load {page.name}: {result.stderr[-500:]}"
    return int(found.group(1))


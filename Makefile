# papers — the two commands officers use are `make papers` and `make test`.
# Both create .venv and install the pinned dependencies when pyproject.toml or
# constraints.txt changed, and skip that step otherwise.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INPUTS ?= inputs
OUTPUT ?= output

.PHONY: papers watch publish minutes check forms new-round chase send test bench imports identity word-template sample-inputs sample-meeting clean

# papers' hints then name the make commands (make send SEND=--smtp), not its own.
export PAPERS_VIA_MAKE := 1

# Returns missing or in error are a normal state mid-round, which the summary explains: run
# through make, papers and check end 0 for them (and 1 for an agenda item that cannot be
# built). STRICT=1 makes them, and warnings, end 1, for scripts. For chase and send,
# status 1 (someone not reached, each named) is let pass; any other status stays as it is.
RUN = $(BIN)/python -m pipeline
LET_1_PASS = || { status=$$?; test $$status -eq 1 || exit $$status; }

papers: $(STAMP)
	@$(RUN) papers --inputs $(INPUTS) --output $(OUTPUT) $(if $(STRICT),--strict) $(if $(VERBOSE),--verbose)

# The papers built, then built again each time a file in inputs/ changes, staying loaded
# between builds (a rebuild is quicker than make papers's own); Ctrl-C stops it.
watch: $(STAMP)
	@$(RUN) watch --inputs $(INPUTS) --output $(OUTPUT) $(if $(VERBOSE),--verbose)

# Publish the agenda (version 1), or once it is published the supplement a change made:
# records the version, with every file's digest, in output/versions/. PUBLISH=--today=… names the day.
publish: $(STAMP)
	@$(RUN) publish --inputs $(INPUTS) --output $(OUTPUT) $(PUBLISH)

# The draft minutes, from the record kept in meeting.toml: output/minutes/ (exempt items' in
# output/private/minutes/). MINUTES=--today=… names the day they are published.
minutes: $(STAMP)
	@$(RUN) minutes --inputs $(INPUTS) --output $(OUTPUT) $(MINUTES)

# `make check CHECK=--today=2011-02-25` plans ahead: the days left as they will be then.
check: $(STAMP)
	@$(RUN) check --inputs $(INPUTS) --output $(OUTPUT) $(if $(STRICT),--strict) $(CHECK)

forms: $(STAMP)
	@$(RUN) forms --inputs $(INPUTS) --output $(OUTPUT)/forms

# The next round in one step: make new-round ROUND="--meeting 2011-09-22 --deadline 2011-09-05"
# puts last round's returns and logs away in dated folders and writes the new forms.
new-round: $(STAMP)
	@$(RUN) new-round --inputs $(INPUTS) --output $(OUTPUT) $(ROUND)

# Reminders to the partnerships still to send: drafts in output/outbox/chase/;
# `make chase CHASE=--smtp` sends them through [mail.smtp].
chase: $(STAMP)
	@$(RUN) chase --inputs $(INPUTS) --output $(OUTPUT) $(CHASE) $(if $(STRICT),,$(LET_1_PASS))

# Drafts in output/outbox/; `make send SEND=--smtp` sends through [mail.smtp]. SEND=--pack
# sends each published version of the agenda to meeting.toml's list instead.
send: $(STAMP)
	@$(RUN) send --inputs $(INPUTS) --output $(OUTPUT) $(SEND) $(if $(STRICT),,$(LET_1_PASS))

# axe-core, the accessibility engine the tests run over every web page in headless
# Chromium; from npm, pinned. Without npm those tests are skipped, saying why.
AXE := $(VENV)/node_modules/axe-core/axe.min.js

# The tests run on every core the machine gives (pytest-xdist), each module's tests in one
# test process (--dist loadfile), so that a module's costly fixtures are made once: xdist's
# xdist_group marks are silently ignored under pytest 9.2 (pytest-dev/pytest-xdist#1386);
# the sample's session builds are made once for the run (tests/conftest.py). `make test TESTS="-n0
# tests/test_watch.py"` runs some, in one process.
TESTS ?=
test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest -n auto --dist loadfile $(TESTS)

$(AXE): | $(STAMP)
	@if command -v npm >/dev/null; then \
	  npm install --prefix $(VENV) --no-audit --no-fund --no-save --silent axe-core@4.14.1 \
	    || echo "npm could not install axe-core: the web pages' accessibility tests will be skipped"; \
	else echo "npm is not installed: the web pages' accessibility tests will be skipped (apt-get install npm)"; fi

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "papers needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

# Speed and memory on rounds of 12, 120 and 480 returns, against LibreOffice.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --output $(OUTPUT)/bench

# papers' own imports: the floors kept, no circle, imports at the top (but in pipeline/lazy.py,
# outside libraries alone), each library used where it belongs. The tests run the same check.
imports: $(STAMP)
	$(BIN)/python scripts/imports.py

# Every file and console line of a clerk's weeks on a copy of the sample meeting, digested:
# `make identity > before.txt`, change, `make identity > after.txt`, and compare.
identity: $(STAMP)
	@$(BIN)/python scripts/clerks_weeks.py

# Maintainers only: regenerate committed sources from their scripts.
word-template: $(STAMP)
	$(BIN)/python scripts/make_word_template.py templates/report.docx

sample-inputs: $(STAMP)
	$(BIN)/python tests/sample_round/sample.py tests/sample_round/returns.txt $(INPUTS)

sample-meeting: $(STAMP)
	$(BIN)/python scripts/make_sample_meeting.py $(INPUTS)/supplied

clean:
	rm -rf $(VENV) build *.egg-info
	find $(OUTPUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

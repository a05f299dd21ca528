# papers — the two commands officers use are `make papers` and `make test`.
# Both create .venv and install the pinned dependencies when pyproject.toml or
# constraints.txt changed, and skip that step otherwise.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INPUTS ?= inputs
OUTPUT ?= output

.PHONY: papers check forms send test bench word-template sample-inputs clean

papers: $(STAMP)
	$(BIN)/python -m pipeline papers --inputs $(INPUTS) --output $(OUTPUT)

check: $(STAMP)
	$(BIN)/python -m pipeline check --inputs $(INPUTS)

forms: $(STAMP)
	$(BIN)/python -m pipeline forms --inputs $(INPUTS) --output $(OUTPUT)/forms

# Drafts in output/outbox/; `make send SEND=--smtp` sends through [mail.smtp].
send: $(STAMP)
	$(BIN)/python -m pipeline send --inputs $(INPUTS) --output $(OUTPUT) $(SEND)

test: $(STAMP)
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "papers needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

# Speed and memory on rounds of 12, 120 and 480 returns, against LibreOffice.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --output $(OUTPUT)/bench

# Maintainers only: regenerate committed sources from their scripts.
word-template: $(STAMP)
	$(BIN)/python scripts/make_word_template.py templates/report.docx

sample-inputs: $(STAMP)
	$(BIN)/python tests/sample_round/sample.py tests/sample_round/returns.txt $(INPUTS)

clean:
	rm -rf $(VENV) build *.egg-info
	find $(OUTPUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

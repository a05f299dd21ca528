"""Run papers as ``python -m pipeline`` (and as the ``papers`` command)."""

import gc

from pipeline.cli import main


def run() -> None:
    """The papers command, as a program of its own."""
    # papers' code and its libraries, loaded, live as long as the program does: frozen, so
    # that the collector's full passes (hundreds in a large build) do not walk them each time.
    gc.freeze()
    main()


if __name__ == "__main__":
    run()

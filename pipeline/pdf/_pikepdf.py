"""pikepdf, for the pdf package alone: its names (``pk.Dictionary``, ``pk.Pdf`` …) resolved the first time one is used.

Importing the pdf package costs nothing: pikepdf is loaded by :func:`pipeline.lazy.pikepdf`
(with Ctrl-C held back as its compiled extension loads) only when a PDF is first read or
written. Each module of the package reaches it as ``from pipeline.pdf import _pikepdf as pk``.
"""

from __future__ import annotations

import io

from pipeline import lazy


def __getattr__(name: str):
    """``pk.Name`` and the like: pikepdf's own, kept here once looked up (PEP 562)."""
    if name.startswith("__"):  # the import system's questions (``__path__``): not pikepdf's to answer
        raise AttributeError(name)
    value = getattr(lazy.pikepdf(), name)
    globals()[name] = value
    return value


def to_bytes(pdf) -> bytes:
    """``pdf`` saved as bytes the same way every time: streams compressed, objects in streams,
    and the file identifier derived from the content, so that equal inputs give equal bytes."""
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True,
             object_stream_mode=lazy.pikepdf().ObjectStreamMode.generate)
    return out.getvalue()

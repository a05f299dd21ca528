"""pikepdf, the one place papers imports it: loaded with Ctrl-C held back (interrupts.py)."""

import io

from pipeline.interrupts import interrupt_held

with interrupt_held():  # pikepdf's compiled extension aborts the process if Ctrl-C comes as it loads
    import pikepdf
    from pikepdf import Array, Dictionary, Name, NameTree, NumberTree, Stream, String

__all__ = ["to_bytes", "pikepdf", "Array", "Dictionary", "Name", "NameTree", "NumberTree", "Stream", "String"]


def to_bytes(pdf: pikepdf.Pdf) -> bytes:
    """``pdf`` saved as bytes the same way every time: streams compressed, objects in streams,
    and the file identifier derived from the content, so that equal inputs give equal bytes."""
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()

"""papers: partnership returns (Excel) in, committee papers (Word, PDF) out."""

__version__ = "0.1.0"

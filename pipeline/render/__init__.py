"""Renderers: the Round, presented once (view), written as Word, HTML and PDF."""

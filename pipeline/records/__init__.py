"""The plain records that pass between stages, a module for each concept: problems, rich text, returns, settings, a round, a meeting.

Records hold data and what follows from it alone; no record holds a library's object.
"""

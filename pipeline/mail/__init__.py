"""Mail, for every message papers sends: composed from templates, written as drafts, or handed to the mail server once each, every delivery logged."""

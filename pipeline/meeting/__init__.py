"""The clerk's meeting: meeting.toml read, every paper on its agenda built, the packs and the page, what is published and sent, version by version."""

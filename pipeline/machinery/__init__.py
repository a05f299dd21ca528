"""The machinery every stage runs on: the cache of what the last builds did, the worker processes, the lock they fork under, the watch on the inputs folder."""

"""The officer's round of returns: the settings read, the returns collated, the forms sent out, the late chased, the next round started, the paper sent."""

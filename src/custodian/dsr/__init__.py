"""Data-subject requests: access, deletion, correction, opt-outs and the deadlines the law sets for them."""

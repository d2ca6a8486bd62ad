"""outreach: a ranked, ready-to-send plan for informational interviews."""

__version__ = "0.1.0"

"""OCOP Fair Manager: events, booths, matchmaking and catalogues for Vietnam's OCOP programme."""

__version__ = "0.1.0"

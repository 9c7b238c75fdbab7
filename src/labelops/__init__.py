"""labelops: labeling operations for Trust & Safety data."""

__version__ = "0.1.0"

"""Care Market Oversight: early warning of care-provider failure for English councils."""

__version__ = "0.1.0"

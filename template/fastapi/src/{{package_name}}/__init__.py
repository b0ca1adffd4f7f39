"""The service package; the build backend reads the version from here."""

__version__ = "0.1.0"

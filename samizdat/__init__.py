"""samizdat: a static-site system for multilingual civic and activist groups."""

__version__ = "0.1.0"

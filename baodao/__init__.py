"""baodao: the paperwork engine of the 双报到 system."""

__version__ = "0.1.0"

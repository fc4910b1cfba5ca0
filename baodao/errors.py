"""The one exception tree every baodao layer raises; messages are written for clerks, in Chinese."""

from __future__ import annotations


class BaodaoError(Exception):
    """Base of every error baodao raises on purpose; str() is the message shown to the user."""


class SpecError(BaodaoError):
    """A form spec (spec.yaml) is missing, malformed or contradicts itself."""


class UnknownFormError(BaodaoError):
    """A form key names no form in the catalog."""


class TemplateError(BaodaoError):
    """A DOCX/XLSX template cannot be read, checked or rendered."""


class RenderError(BaodaoError):
    """A record could not be turned into a filled form."""


class ConversionError(BaodaoError):
    """LibreOffice could not turn a document into PDF."""


class DataError(BaodaoError):
    """Input data (a roster, a notice file) cannot be read or does not fit its form."""


class OutputExistsError(BaodaoError):
    """An output would overwrite a file the user already has."""


class StorageError(BaodaoError):
    """The database cannot be opened, migrated or written."""


class PolicyError(BaodaoError):
    """A policy profile is missing or does not fit its schema."""

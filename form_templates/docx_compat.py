"""Undoes docxcompose's import-time rebinding of python-docx's "cp" prefix.

docxcompose (imported by docxtpl as well) runs ``nsmap.update`` with "cp" bound to the custom-properties
namespace. python-docx then writes core properties it creates (keywords, revision, category …) in that
namespace, and Word calls such a core.xml unreadable. Importing this module first restores the binding.
"""

from __future__ import annotations

import docx.oxml.ns
import docxcompose.utils  # noqa: F401  (its import is the rebinding undone below)

CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
docx.oxml.ns.nsmap["cp"] = CORE_PROPERTIES_NS

"""The template language every form template is written in: jinja in a sandbox, with baodao's helpers."""

from __future__ import annotations

from typing import Any

from jinja2 import Undefined
from jinja2.sandbox import SandboxedEnvironment

# The seeds ask for a √ in the box: ☑ prints in Noto Sans Symbols2 (office/fonts.conf), the empty box in the
# form's own face.
TICKED, UNTICKED = "☑", "□"
SYSTEM_VARIABLES = ("form_id",)


def tick(value: object, option: str) -> str:
    """The printed box for ``option``: ticked when the value is (or contains) that option."""
    chosen = value == option or (isinstance(value, (list, tuple)) and option in value)
    return TICKED if chosen else UNTICKED


TEMPLATE_HELPERS: dict[str, Any] = {"tick": tick}


def jinja_environment() -> SandboxedEnvironment:
    """Templates are edited by users, so they render sandboxed: no attribute tricks, no imports.

    ``{{ skills|tick('写作') }}`` is the filter form of ``{{ tick(skills, '写作') }}``: filters are the
    environment's own, so the sandbox does not inspect each call.
    """
    env = SandboxedEnvironment(undefined=Undefined, autoescape=True)
    env.filters["tick"] = tick
    return env

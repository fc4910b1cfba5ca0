"""附件4 上级驻荣、国企单位驻区共建报到名单: the same shape as 附件3."""

from __future__ import annotations

from baodao.form_templates.builder.layouts.rc_a3 import XLSX, build

__all__ = ["XLSX", "build"]

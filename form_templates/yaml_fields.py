"""Typed, checked access to one mapping of a YAML file; every complaint names the file and the key path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import yaml

from baodao.errors import BaodaoError

# libyaml's parser, with PyYAML's safe constructors, where PyYAML was built with it: a fresh tally reads
# all 26 specs, and the pure-Python parser took a fifth of its time.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, what: str, error: type[BaodaoError]) -> object:
    """The parsed content of ``path``; ``what`` names the kind of file in the message (“表单说明文件”)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{what} {path} 无法读取：{exc}") from exc


class Fields:
    """One mapping of a YAML file, read key by key with the type each key must have."""

    def __init__(
        self, source: Path, what: str, error: type[BaodaoError], where: str, data: object, allowed: set[str]
    ) -> None:
        self.source, self.what, self.error, self.where = source, what, error, where
        if not isinstance(data, Mapping):
            self.fail("", "应为键值表（mapping）")
        self.data: Mapping[str, Any] = data
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            self.fail(unknown[0], f"不认识的键“{unknown[0]}”（可用的键：{', '.join(sorted(allowed))}）")

    def nested(self, key: str, data: object, allowed: set[str]) -> Fields:
        """The reader of a mapping inside this one, at path ``key``."""
        return Fields(self.source, self.what, self.error, self.path(key), data, allowed)

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where and key else (self.where or key)

    def fail(self, key: str, reason: str) -> NoReturn:
        raise self.error(f"{self.what} {self.source} 的 {self.path(key) or '顶层'} 有误：{reason}")

    def get(
        self, key: str, kind: type | tuple[type, ...], required: bool = False, default: Any = None
    ) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                self.fail(key, "缺少此项")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(key, f"类型不对，得到 {type(value).__name__}")
        return value

    def text(self, key: str, required: bool = False, default: str | None = None) -> Any:
        value = self.get(key, (str, int), required, default)
        return str(value).strip() if value is not None else None

    def integer(self, key: str, required: bool = False, default: int | None = None) -> Any:
        return self.get(key, int, required, default)

    def flag(self, key: str, default: bool = False) -> bool:
        return bool(self.get(key, bool, False, default))

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of texts; a single text counts as a list of one."""
        value = self.get(key, (list, str), required, [])
        items = [value] if isinstance(value, str) else value
        if not all(isinstance(v, str) for v in items):
            self.fail(key, "每一项都应是文字")
        return tuple(v.strip() for v in items)

    def items(self, key: str, required: bool = False) -> list[Any]:
        return list(self.get(key, list, required, []))

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> Any:
        value = self.text(key, default=default)
        if value is not None and value not in allowed:
            self.fail(key, f"“{value}”不是可用的值（{', '.join(allowed)}）")
        return value

    def day(self, key: str, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "缺少此项")
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(key, f"“{value}”不是日期（应写成 2019-06-11）")

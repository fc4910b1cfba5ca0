"""What baodao may write in an output folder: its own earlier outputs, never a user's file by accident."""

from __future__ import annotations

import json
from pathlib import Path

from baodao.errors import OutputExistsError
from baodao.files import atomic_path

MANIFEST = ".baodao-outputs.json"


class OutputFolder:
    """An output folder and the list of files baodao wrote there (kept in a hidden manifest)."""

    def __init__(self, folder: Path, force: bool = False) -> None:
        self.folder, self.force = folder, force
        self.path = folder / MANIFEST
        try:
            self.ours = set(json.loads(self.path.read_text(encoding="utf-8"))["files"])
        except (OSError, ValueError, KeyError, TypeError):
            self.ours = set()

    def claim(self, names: list[str]) -> None:
        """Reserve ``names`` before writing them: refuse any that exist and are not baodao's own.

        The manifest is written first, so an interrupted batch, run again, may replace what it began.
        """
        clashes = [n for n in names if (self.folder / n).exists() and n not in self.ours]
        if clashes and not self.force:
            shown = "、".join(clashes[:5]) + (f" 等 {len(clashes)} 个" if len(clashes) > 5 else "")
            raise OutputExistsError(
                f"输出文件夹 {self.folder} 中已有不是 baodao 生成的文件：{shown}。"
                "为免覆盖，未写入任何文件；请换一个输出文件夹，或确认后加 --force。"
            )
        self.ours.update(names)
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            # Temporaries a killed run left behind: a rerun must leave the folder as one clean run would.
            for stale in self.folder.glob(f".{Path(name).stem}.*.part"):
                stale.unlink(missing_ok=True)
        with atomic_path(self.path) as tmp:
            listing = json.dumps({"files": sorted(self.ours)}, ensure_ascii=False, indent=1)
            tmp.write_text(listing, encoding="utf-8")

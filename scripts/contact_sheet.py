"""Developer aid: lay the PNG pages given on the command line side by side in one picture."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image


def main(out: str, pages: list[str], per_row: int = 4) -> None:
    images = [Image.open(p) for p in pages]
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    rows = (len(images) + per_row - 1) // per_row
    sheet = Image.new("RGB", (w * min(per_row, len(images)), h * rows), "white")
    for n, img in enumerate(images):
        sheet.paste(img, ((n % per_row) * w, (n // per_row) * h))
    sheet.save(out)
    print(Path(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

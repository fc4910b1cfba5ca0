"""Phone photos of paper returns: filled forms of three kinds photographed on a desk, turned (±8°, ±15°,
20°, sideways, upside down), tilted up to 20°, under a shadow, on yellowed paper, blurred, at 2, 5 and
12 MP, JPEG 60–90 (``tests/intake/photos.py``), read in the sandboxed workers. Every tick right, at least
97% of the values right, and no wrong value without a review flag.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.photo import UNRECTIFIED, as_photo, true_aspect
from baodao.intake.worker import read_in_turn
from tests.intake.photos import SHOTS, SUBJECTS, Shot, Taken, _seen_corners, issue, photo_set, photograph
from tests.intake.scans import degrade

pytestmark = pytest.mark.scan


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Taken, ReadRecord | Rejected]]:
    """Each shot of the set, of one of the three forms in turn, read by two workers."""
    taken = photo_set(tmp_path_factory.mktemp("photos"), SHOTS, SUBJECTS)
    return list(zip(taken, read_in_turn([t.path for t in taken], Limits()), strict=True))


def _read(pair: tuple[Taken, ReadRecord | Rejected]) -> ReadRecord:
    taken, read = pair
    assert isinstance(read, ReadRecord), f"{taken.path.name}: {getattr(read, 'reason', read)}"
    return read


def test_the_set_covers_every_form_and_way_of_taking_a_photo(photos: list) -> None:  # type: ignore[type-arg]
    shots = [t.shot for t, _ in photos]
    assert {t.form for t, _ in photos} == {"zz-b1", "yp-a3", "yp-a5"}
    assert {s.turn for s in shots} == {0, 90, 180, 270}
    assert {s.megapixels for s in shots} == {2.0, 5.0, 12.0}
    assert min(s.quality for s in shots) == 60 and max(abs(s.angle) for s in shots) >= 15
    assert max(max(map(abs, s.tilt)) for s in shots) >= 18
    assert any(s.shadow for s in shots) and any(s.yellow for s in shots)
    assert min(s.fill for s in shots) < 0.45 and max(s.fill for s in shots) > 1.0


def test_every_photo_is_identified_with_its_id(photos: list) -> None:  # type: ignore[type-arg]
    for pair in photos:
        read = _read(pair)
        assert (read.form, read.form_id) == (pair[0].form, pair[0].form_id), pair[0].path.name


def test_ticks_in_photos_are_all_read_right(photos: list) -> None:  # type: ignore[type-arg]
    for pair in photos:
        read = _read(pair)
        for name in pair[0].ticks:
            assert read.fields[name] == pair[0].expected[name], pair[0].path.name


def test_photo_values_are_read_and_no_wrong_value_goes_unflagged(photos: list) -> None:  # type: ignore[type-arg]
    right = total = 0
    for pair in photos:
        taken, read = pair[0], _read(pair)
        flagged = {i.field for i in read.issues}
        for name, want in taken.expected.items():
            total += 1
            if read.fields[name] == want:
                right += 1
            else:
                assert name in flagged, f"{taken.path.name} {name}: {read.fields[name]!r} ≠ {want!r}, no flag"
    assert right / total >= 0.97, f"{right}/{total} fields right"


def test_every_value_read_from_a_photo_carries_its_confidence(photos: list) -> None:  # type: ignore[type-arg]
    for pair in photos:
        read = _read(pair)
        for name in pair[0].expected:
            assert 0.0 <= read.confidence[name] <= 1.0, (pair[0].path.name, name)


def test_a_photo_that_misses_part_of_the_table_is_refused(tmp_path: Path) -> None:
    page, _ = issue(SUBJECTS[0], tmp_path)
    half = page.crop((0, 0, page.width, int(page.height * 0.45)))  # folded under, or out of the frame
    path = photograph(half, Shot("半张", angle=6, fill=0.8), seed=3, out=tmp_path / "半张.jpg")
    [read] = read_in_turn([path], Limits(), workers=1)
    assert isinstance(read, Rejected)
    assert read.reason == UNRECTIFIED


@pytest.mark.parametrize("tilt", [(0.0, 0.0), (20.0, 0.0), (0.0, 18.0), (12.0, -8.0)])
def test_the_true_proportions_of_a_page_come_back_from_its_perspective(tilt: tuple[float, float]) -> None:
    corners = _seen_corners(2480, 3508, Shot("x", angle=10, tilt=tilt, fill=0.7), 3000, 4000)
    assert true_aspect(corners, 3000, 4000) == pytest.approx(2480 / 3508, rel=0.03)


def test_a_flatbed_scan_is_not_taken_for_a_photo() -> None:
    page = Image.new("RGB", (2480, 3508), "white")
    pixels = np.asarray(page).copy()
    pixels[600:2400, 300:2180] = 0  # a table's outer rules, 4 px wide
    pixels[604:2396, 304:2176] = 255
    scan = degrade(Image.fromarray(pixels), 1.5, seed=1)
    assert as_photo(scan) is None

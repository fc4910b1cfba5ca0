"""Phone photos of paper returns, as members send them over WeChat: the filled page lying on a desk,
photographed from above with the phone held a little off square.

A filled page image (``scans.fill``) is tinted like paper that has yellowed, bent in perspective as a
camera sees a page tilted away from it, turned, laid on a wood-coloured desk, crossed by a shadow,
softened, noised, sized to the phone's megapixels, turned by a quarter turn when held sideways, and saved
as JPEG.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from baodao.intake.model import JsonValue
from tests.intake.scans import Filling, fill, render_pages


@dataclass(frozen=True)
class Shot:
    """How one photo is taken."""

    name: str
    turn: int = 0  # quarter turns of the whole photo, counter-clockwise: 0, 90, 180, 270
    angle: float = 0.0  # the page turned on the desk, degrees counter-clockwise
    tilt: tuple[float, float] = (0.0, 0.0)  # the phone off square, degrees about the page's x and y axes
    fill: float = 0.85  # the page's extent as a share of the frame's (above 1: its edges cut off)
    megapixels: float = 5.0
    quality: int = 80
    shadow: bool = False
    yellow: bool = False
    blur: float = 0.8  # Gaussian sigma, in the photo's pixels


def photograph(page: Image.Image, shot: Shot, seed: int, out: Path) -> Path:
    """``page`` (an RGB page image) photographed as ``shot`` says, saved to ``out`` as JPEG."""
    rng = np.random.default_rng(seed)
    paper = np.asarray(page.convert("RGB")).astype(np.float32)
    if shot.yellow:
        paper *= np.array([1.0, 0.95, 0.80], np.float32)  # yellowed: blue fades first
    h, w = paper.shape[:2]
    frame_h = int(math.sqrt(shot.megapixels * 1e6 * 4 / 3))
    frame_w = int(frame_h * 3 / 4)
    quad = _seen_corners(w, h, shot, frame_w, frame_h)
    matrix = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), quad)
    desk = _desk(frame_w, frame_h, rng)
    warped = cv2.warpPerspective(paper, matrix, (frame_w, frame_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(
        np.ones((h, w), np.float32), matrix, (frame_w, frame_h), flags=cv2.INTER_LINEAR
    )
    photo = np.asarray(desk * (1 - mask[..., None]) + warped * mask[..., None], np.float32)
    photo *= _light(frame_w, frame_h, shot.shadow, rng)[..., None]
    if shot.blur > 0:
        photo = np.asarray(cv2.GaussianBlur(photo, (0, 0), shot.blur), np.float32)
    photo += rng.normal(0, 5, photo.shape).astype(np.float32)
    image = np.clip(photo, 0, 255).astype(np.uint8)
    image = np.ascontiguousarray(np.rot90(image, shot.turn // 90))
    Image.fromarray(image).save(out, quality=shot.quality)
    return out


def _seen_corners(w: int, h: int, shot: Shot, frame_w: int, frame_h: int) -> np.ndarray:
    """Where the page's corners fall in the photo: the page turned and tilted in 3-D, seen through a
    phone's lens (focal length 0.8 times the frame's long side) from as far as makes it fill the frame."""
    ax, ay = (math.radians(t) for t in shot.tilt)
    turn = math.radians(-shot.angle)  # image y grows downwards
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]])
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(turn), -math.sin(turn), 0], [math.sin(turn), math.cos(turn), 0], [0, 0, 1]])
    moved = corners @ (rz @ ry @ rx).T
    focal = 0.8 * max(frame_w, frame_h)
    flat = moved[:, :2]
    span = flat.max(axis=0) - flat.min(axis=0)
    distance = focal * max(span[0] / frame_w, span[1] / frame_h) / shot.fill
    seen = flat * (focal / (moved[:, 2] + distance))[:, None]
    centre = (seen.max(axis=0) + seen.min(axis=0)) / 2  # the page in the middle of the frame, as people aim
    return np.asarray(seen - centre + np.array([frame_w / 2, frame_h / 2]), np.float32)


def _desk(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A wooden desk: brown, with grain along it and uneven tone."""
    noise = rng.normal(0, 1, (1, w)).astype(np.float32)
    grain = cv2.GaussianBlur(np.repeat(noise, 8, axis=0), (0, 0), 6)[:1]
    tone = cv2.resize(rng.normal(0, 1, (6, 5)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    level = 120 + 25 * np.repeat(grain, h, axis=0) + 15 * tone
    return np.asarray(np.stack([level * 1.1, level * 0.8, level * 0.55], axis=-1), np.float32)


def _light(w: int, h: int, shadow: bool, rng: np.random.Generator) -> np.ndarray:
    """Room light falling off towards one corner, and the soft shadow of the phone or a hand across part."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    light = 1.0 - 0.15 * ((xs - cx) ** 2 + (ys - cy) ** 2) / (w**2 + h**2)
    if shadow:
        angle = rng.uniform(0, math.pi)
        edge = (xs - w * rng.uniform(0.3, 0.7)) * math.cos(angle) + (
            ys - h * rng.uniform(0.3, 0.7)
        ) * math.sin(angle)
        light *= 1.0 - 0.45 / (1.0 + np.exp(edge / (0.02 * max(w, h))))
    return np.asarray(light, np.float32)


# -- the set: filled forms of several kinds, each photographed in several ways ------------------------------
@dataclass(frozen=True)
class Subject:
    """A form as issued (its roster row) and filled in by hand, with the record the person meant."""

    form: str
    roster: dict[str, str]
    filling: Filling
    expected: dict[str, JsonValue]
    ticks: tuple[str, ...]  # the fields read from tick boxes


@dataclass(frozen=True)
class Taken:
    """One photo of the set: its file, the shot, and what it should read as."""

    path: Path
    shot: Shot
    form: str
    form_id: str
    expected: dict[str, JsonValue]
    ticks: tuple[str, ...]


SUBJECTS = [
    Subject(
        "zz-b1",
        {"编号": "SJ-2025-0201", "姓名": "李晓燕", "报到地党组织": "新安社区党委"},
        Filling(
            text={
                "性别": "女",
                "年龄": "36",
                "学历": "大学本科",
                "入党时间": "2010年7月",
                "工作单位及职务": "区卫健委科员",
                "联系方式": "13803710001",
                "家庭住址": "新安路18号院3号楼",
                "所属社区": "新安社区",
                "服务意向": "1.政策宣讲\n2.法律援助",
            },
            below={"服务意向"},
            ticks={"舞蹈", "摄影", "法律", "医疗保健"},
        ),
        {
            "number": "SJ-2025-0201",
            "name": "李晓燕",
            "organization": "新安社区党委",
            "gender": "女",
            "age": 36,
            "education": "大学本科",
            "joined_party_on": "2010-07-01",
            "employer_and_post": "区卫健委科员",
            "phone": "13803710001",
            "home_address": "新安路18号院3号楼",
            "community": "新安社区",
            "intentions": ["政策宣讲", "法律援助"],
            "skills": ["舞蹈", "摄影", "法律", "医疗保健"],
        },
        ("skills",),
    ),
    Subject(
        "yp-a3",
        {"驻地单位党组织名称": "宝山区市场监督管理局机关党支部", "单位地址": "友谊路100号"},
        Filling(text={"社区党组织评语": "该支部主动认领政策咨询项目\n全年开展咨询服务4次"}, ticks={"良好"}),
        {
            "unit_organization_name": "宝山区市场监督管理局机关党支部",
            "unit_address": "友谊路100号",
            "performance": "良好",
            "community_comment": "该支部主动认领政策咨询项目\n全年开展咨询服务4次",
        },
        ("performance",),
    ),
    Subject(
        "yp-a5",
        {"姓名": "曹阳"},
        Filling(
            text={
                "性别": "男",
                "年龄": "35",
                "联系电话": "13916520147",
                "个人特长": "财税政策咨询",
                "可以提供志愿服务的时间段": "双休日上午，工作日19:00以后",
                "□其他": "为居民区微信群编辑发布活动信息",
            },
            ticks={"环境整治", "政策宣讲", "法律咨询", "消防安全", "其他"},
        ),
        {
            "name": "曹阳",
            "gender": "男",
            "age": 35,
            "phone": "13916520147",
            "specialty": "财税政策咨询",
            "available_time": "双休日上午，工作日19:00以后",
            "project_categories": ["环境整治", "政策宣讲", "法律咨询", "消防安全", "其他"],
            "other_projects": "为居民区微信群编辑发布活动信息",
        },
        ("project_categories",),
    ),
]
# Every way the issue names: upright, turned ±8° and ±15° (and 20°), sideways and upside down, the
# phone tilted up to 20°, the desk around the page, a shadow, yellowed paper, blur, 2, 5 and 12 MP, the
# page filling 40–100% of the frame (and past it), JPEG quality 60–90.
SHOTS = [
    Shot("正拍", fill=0.9, megapixels=5, quality=85),
    Shot("左转8度", angle=8, tilt=(5, 0), fill=0.75, megapixels=12, quality=80),
    Shot("右转8度阴影", angle=-8, tilt=(0, -6), fill=0.85, megapixels=5, quality=70, shadow=True),
    Shot("左转15度泛黄", angle=15, tilt=(10, 5), fill=0.65, megapixels=12, quality=75, yellow=True),
    Shot("右转15度", angle=-15, tilt=(-8, 8), fill=0.8, megapixels=5, quality=65, shadow=True, yellow=True),
    Shot("横拍", turn=90, angle=4, fill=0.85, megapixels=12, quality=80),
    Shot("倒拍", turn=180, angle=-3, fill=0.9, megapixels=5, quality=90, blur=1.2),
    Shot("横拍斜", turn=270, angle=-6, tilt=(12, 0), fill=0.6, megapixels=12, quality=75),
    Shot("俯仰20度", angle=2, tilt=(20, 0), fill=0.75, megapixels=12, quality=80),
    Shot("侧斜18度", angle=-5, tilt=(0, 18), fill=0.8, megapixels=5, quality=60),
    Shot("满幅", angle=1, fill=1.06, megapixels=2, quality=80),
    Shot("200万像素", angle=-10, fill=0.95, megapixels=2, quality=70, shadow=True),
    Shot("远拍", angle=20, tilt=(8, 8), fill=0.42, megapixels=12, quality=85),
    Shot("模糊", angle=12, fill=0.85, megapixels=5, quality=60, blur=1.6),
]


def issue(subject: Subject, work: Path) -> tuple[Image.Image, str]:
    """``subject``'s form issued by baodao, printed (rendered at 300 dpi) and filled in: the page, its id."""
    from baodao.docgen.batch import GenerateOptions, generate
    from baodao.docgen.issued import IssuedForm
    from baodao.form_templates.catalog import get_form
    from baodao.intake.layout import layout_of

    data = work / f"{subject.form}.json"
    data.write_text(json.dumps([subject.roster], ensure_ascii=False), encoding="utf-8")
    ids: list[str] = []

    def register(entries: Sequence[IssuedForm]) -> tuple[int, int]:
        ids.extend(e.form_id for e in entries)
        return len(entries), 0

    spec = get_form(subject.form).spec
    # Fields the member writes by hand on the printed page are left blank on purpose.
    blank = frozenset(f.label for f in spec.fields if f.required and f.label not in subject.roster)
    options = GenerateOptions(work / subject.form, pdf=True, blank=blank)
    made = generate(get_form(subject.form), data, options, register)
    assert made.combined_pdf is not None
    [png] = render_pages(made.combined_pdf, work / f"{subject.form}-pages")
    page = fill(Image.open(png), layout_of(subject.form).pages[0], subject.filling)
    return page, ids[0]


def photo_set(work: Path, shots: list[Shot], subjects: list[Subject], every: bool = False) -> list[Taken]:
    """The photos: each shot of one subject in turn (``every``: each shot of every subject)."""
    work.mkdir(parents=True, exist_ok=True)
    pages = [issue(s, work) for s in subjects]
    out = []
    for n, shot in enumerate(shots):
        chosen = range(len(subjects)) if every else [n % len(subjects)]
        for k in chosen:
            subject, (page, form_id) = subjects[k], pages[k]
            path = photograph(page, shot, seed=100 * n + k, out=work / f"{subject.form}-{shot.name}.jpg")
            out.append(Taken(path, shot, subject.form, form_id, subject.expected, subject.ticks))
    return out

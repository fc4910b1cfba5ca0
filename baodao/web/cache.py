"""Values kept while the data they were made from is unchanged (`tally.version`), and made again on a thread
once it has changed: the 统计 page's tallies, which take seconds for a street's or a city's members."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Engine

from baodao.tally.version import data_version

T = TypeVar("T")

# Tallies kept while the data they were made from is unchanged, each under the exact set of offices it
# counts (so it is only ever shown to a visitor who sees those offices), up to KEPT members in all. The same
# tally is computed once however many ask at once, and one at a time: a tally is CPU work in this process,
# and every page waits its turn for the interpreter behind each one running (measured in bench/web.py:
# with two at a time, pages' p95 reached 300–600 ms; with one, under 300 ms, the tallies queued instead).
KEPT, ENTRIES = 250_000, 200  # members in all, entries (tallies, charts, offices side by side)
# How long a view waits for a tally being made again before it shows the kept one: a 社区's few thousand
# members are tallied within it (the page is simply new); a street's or a city's are not.
GRACE = 0.3
log = logging.getLogger("baodao.web")


@dataclass(frozen=True)
class Shown(Generic[T]):
    """A kept value, when the tally behind it started (its data is of that moment), and whether the data
    has changed since: then a newer one is being made in the background."""

    value: T
    made_at: dt.datetime
    stale: bool = False


@dataclass(frozen=True)
class _Entry:
    version: str
    value: object
    size: int
    made_at: dt.datetime


_kept: OrderedDict[tuple[object, ...], _Entry] = OrderedDict()
_guard = threading.Lock()  # over _kept, _keys, _refreshing and _failed
_keys: dict[tuple[object, ...], threading.Lock] = {}
_refreshing: dict[tuple[object, ...], threading.Event] = {}  # keys a thread is making again: set when done
_failed: set[tuple[object, ...]] = set()  # keys whose last background refresh failed: the next view waits
_computing = threading.Lock()


def kept(
    engine: Engine,
    key: tuple[object, ...],
    compute: Callable[[], T],
    size: Callable[[T], int],
    *,
    wait: bool = True,
    grace: float | None = None,
) -> Shown[T]:
    """``compute()``, or what it gave before for ``key`` while the data is unchanged (`tally.version`).
    Once the data has changed, ``wait=False`` has a thread make it again and waits ``grace`` seconds
    (``GRACE`` unless said) for it, then shows the kept value, marked stale; ``wait=True`` (and a first
    view, and a view after a refresh failed) waits for it."""
    key = (str(engine.url), *key)
    version = data_version(engine)
    with _guard:
        found = _kept.get(key)
        if found is not None and found.version == version:
            _kept.move_to_end(key)
            return Shown(found.value, found.made_at)  # type: ignore[arg-type]
        refreshing = None
        if found is not None and not wait and key not in _failed:
            refreshing = _refreshing.get(key) or _start_refresh(engine, key, compute, size)
    if found is None or refreshing is None:
        return _made(engine, key, compute, size)
    if refreshing.wait(GRACE if grace is None else grace):
        with _guard:
            newer = _kept.get(key)
        if newer is not None and newer.made_at > found.made_at:  # made within the grace: simply new
            return Shown(newer.value, newer.made_at, stale=newer.version != version)  # type: ignore[arg-type]
    return Shown(found.value, found.made_at, stale=True)  # type: ignore[arg-type]


def _start_refresh(
    engine: Engine, key: tuple[object, ...], compute: Callable[[], T], size: Callable[[T], int]
) -> threading.Event:
    """A thread making ``key`` again; the event is set when it is done (made, or failed). Under _guard."""
    done = _refreshing[key] = threading.Event()
    args = (engine, key, compute, size, done)
    threading.Thread(target=_refresh, args=args, name="baodao-tally", daemon=True).start()
    return done


def _made(
    engine: Engine, key: tuple[object, ...], compute: Callable[[], T], size: Callable[[T], int]
) -> Shown[T]:
    """Make the value of ``key`` for the data as it is now, once however many threads ask at a time."""
    with _guard:
        lock = _keys.setdefault(key, threading.Lock())
    with lock:
        version = data_version(engine)  # before computing: data stored meanwhile makes it stale next time
        with _guard:
            found = _kept.get(key)
            if found is not None and found.version == version:  # made while this thread waited
                return Shown(found.value, found.made_at)  # type: ignore[arg-type]
        made_at = dt.datetime.now()
        with _computing:
            made = compute()
        with _guard:
            _kept[key] = _Entry(version, made, size(made), made_at)
            _kept.move_to_end(key)
            _failed.discard(key)
            while len(_kept) > 1 and (len(_kept) > ENTRIES or sum(e.size for e in _kept.values()) > KEPT):
                gone, _ = _kept.popitem(last=False)
                _keys.pop(gone, None)
    return Shown(made, made_at)


def _refresh(
    engine: Engine,
    key: tuple[object, ...],
    compute: Callable[[], T],
    size: Callable[[T], int],
    done: threading.Event,
) -> None:
    """A background thread's work: make ``key`` again. If that fails the kept value stays, and the next
    view makes it itself, so the reason reaches the visitor."""
    try:
        _made(engine, key, compute, size)
    except Exception:
        log.exception("重新统计失败（%s）", key[1:])
        with _guard:
            _failed.add(key)
    finally:
        with _guard:
            _refreshing.pop(key, None)
        done.set()


def kept_members() -> int:
    """How many members' figures are kept, in all (a tally's size is its members)."""
    with _guard:
        return sum(e.size for e in _kept.values())


def kept_keys() -> list[tuple[object, ...]]:
    with _guard:
        return list(_kept)


def used_in_order(keys: Iterable[tuple[object, ...]]) -> None:
    """Take ``keys`` as used in this order, the last the most recently: the first of them give way first."""
    with _guard:
        for key in keys:
            if key in _kept:
                _kept.move_to_end(key)

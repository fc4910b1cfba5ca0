"""The workbench's routes: ``public`` (the login page) and the rest, every one behind ``auth.guard``."""

from __future__ import annotations

from fastapi import APIRouter

from baodao.web.pages import admin, home, issue, jobs, ledgers, login, register, returns, review, tally

public = login.public


def protected() -> list[APIRouter]:
    return [
        login.router,
        home.router,
        admin.router,
        jobs.router,
        issue.router,
        returns.router,
        review.router,
        register.router,
        tally.router,
        ledgers.router,
    ]

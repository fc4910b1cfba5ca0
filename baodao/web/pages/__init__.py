"""The workbench's routes: ``public`` (the login page) and the rest, every one behind ``auth.guard``."""

from __future__ import annotations

from fastapi import APIRouter

from baodao.web.pages import (
    admin,
    filings,
    home,
    issue,
    jobs,
    ledgers,
    login,
    notices,
    register,
    returns,
    review,
    tally,
    templates,
)

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
        filings.router,
        notices.router,
        templates.router,
    ]

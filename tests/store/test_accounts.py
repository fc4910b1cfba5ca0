"""Accounts an administrator manages: roles, disabling, one-time passwords that must be replaced."""

from __future__ import annotations

from sqlalchemy import Engine

from baodao.errors import StorageError
from baodao.store.accounts import (
    add_user,
    authenticate,
    open_session,
    reset_password,
    session_of,
    set_active,
    set_password,
    set_role,
    user_named,
)
from baodao.store.offices import DEFAULT_OFFICE

PASSWORD = "correct-horse-9"


def test_a_new_role_takes_effect_and_ends_the_users_sessions(engine: Engine) -> None:
    add_user(engine, "wang", PASSWORD, "clerk", DEFAULT_OFFICE)
    token = open_session(engine, _id(engine, "wang"))
    set_role(engine, "wang", "reader")
    assert session_of(engine, token) is None
    signed_in = authenticate(engine, "wang", PASSWORD, "test")
    assert signed_in is not None and signed_in.role == "reader" and signed_in.role_label == "只读"
    try:
        set_role(engine, "wang", "boss")
    except StorageError as exc:
        assert "角色“boss”不对" in str(exc)
    else:
        raise AssertionError("an unknown role was stored")


def test_a_disabled_user_loses_their_sessions_and_is_known_as_disabled_only_with_the_password(
    engine: Engine,
) -> None:
    add_user(engine, "wang", PASSWORD, "clerk", DEFAULT_OFFICE)
    token = open_session(engine, _id(engine, "wang"))
    set_active(engine, "wang", False)
    assert session_of(engine, token) is None
    right = authenticate(engine, "wang", PASSWORD, "test")
    assert right is not None and right.active is False
    assert authenticate(engine, "wang", "wrong-password-1", "test") is None
    # A session opened anyway (by a bug elsewhere) is not honoured while the user is disabled.
    assert session_of(engine, open_session(engine, right.id)) is None
    set_active(engine, "wang", True)
    again = authenticate(engine, "wang", PASSWORD, "test")
    assert again is not None and again.active is True
    assert session_of(engine, open_session(engine, again.id)) is not None


def test_a_reset_password_is_one_time_and_replacing_it_clears_the_duty(engine: Engine) -> None:
    add_user(engine, "wang", PASSWORD, "clerk", DEFAULT_OFFICE)
    token = open_session(engine, _id(engine, "wang"))
    one_time = reset_password(engine, "wang")
    assert len(one_time) == 16 and session_of(engine, token) is None
    assert authenticate(engine, "wang", PASSWORD, "test") is None
    signed_in = authenticate(engine, "wang", one_time, "test")
    assert signed_in is not None and signed_in.must_change is True
    session = session_of(engine, open_session(engine, signed_in.id))
    assert session is not None and session.user.must_change is True
    set_password(engine, "wang", "my-own-password-7")
    after = authenticate(engine, "wang", "my-own-password-7", "test")
    assert after is not None and after.must_change is False


def test_a_new_account_with_a_one_time_password_must_change_it(engine: Engine) -> None:
    add_user(engine, "li", PASSWORD, "clerk", DEFAULT_OFFICE, must_change=True)
    add_user(engine, "zhao", PASSWORD, "clerk", DEFAULT_OFFICE)
    li, zhao = user_named(engine, "li"), user_named(engine, "zhao")
    assert li is not None and li.must_change and li.active
    assert zhao is not None and not zhao.must_change
    assert user_named(engine, "nobody") is None
    try:
        set_active(engine, "nobody", False)
    except StorageError as exc:
        assert "没有用户“nobody”" in str(exc)
    else:
        raise AssertionError("a user who does not exist was disabled")


def _id(engine: Engine, username: str) -> int:
    user = user_named(engine, username)
    assert user is not None
    return user.id

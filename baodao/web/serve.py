"""`baodao serve`: the workbench on uvicorn; the first start makes an administrator with a one-time password.

It lives with the web (the CLI's tier may not import it); `baodao` finds it by name (baodao/cli/__init__.py).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from baodao.store.accounts import add_user, count_users, new_password
from baodao.store.db import connect, database_url
from baodao.store.offices import DEFAULT_OFFICE

SWITCH_INTERVAL = 0.001  # seconds
# An idle connection is kept longer than a browser's pause between clicks and a proxy's own keep-alive
# (nginx: 60 s), so the server is not the end that closes one the other is about to send on.
KEEP_ALIVE = 75  # seconds

DB_HELP = "数据库：文件路径或 URL（默认 ./baodao.sqlite3，或环境变量 BAODAO_DB）。"
DATA_HELP = "数据文件夹：收到的文件、任务结果、会话密钥（默认 ./baodao-data，或环境变量 BAODAO_FILES）。"


@click.command(name="serve")
@click.option("--db", help=DB_HELP)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="BAODAO_FILES",
    default="baodao-data",
    help=DATA_HELP,
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="监听地址（局域网内使用时设为 0.0.0.0）。"
)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="后台任务进程数（0：另行启动）。")
@click.option("--https", "secure", is_flag=True, help="经 HTTPS 访问时设置：会话 Cookie 只经 HTTPS 发送。")
def serve(db: str | None, data_dir: Path, host: str, port: int, workers: int, secure: bool) -> None:
    """启动工作台（浏览器访问）；第一次启动时建立管理员账号并显示一次性密码。"""
    import uvicorn

    from baodao.web.app import create_app
    from baodao.web.settings import Settings

    url = database_url(db)
    engine = connect(url)
    if count_users(engine, role="admin") == 0:
        password = new_password()
        add_user(engine, "admin", password, "admin", DEFAULT_OFFICE, must_change=True)
        click.echo(f"已建立管理员账号 admin，一次性密码：{password}（第一次登录时须改成自己的密码）")
    engine.dispose()
    settings = Settings.make(url, data_dir, secure_cookies=secure, workers=workers)
    click.echo(f"工作台：http://{host}:{port}/")
    # A tally being made again runs on a thread of this process; a page waiting for the interpreter behind
    # it waits up to the switch interval at each turn (5 ms by default), so hand over more often.
    sys.setswitchinterval(SWITCH_INTERVAL)
    _log_to_terminal()
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
        timeout_keep_alive=KEEP_ALIVE,
    )


def _log_to_terminal() -> None:
    """What the workbench notes for its operator (a tally failing, the views made again at start), with
    the time, in the terminal it was started from."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    baodao_log = logging.getLogger("baodao")
    baodao_log.addHandler(handler)
    baodao_log.setLevel(logging.INFO)

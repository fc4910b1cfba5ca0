#!/usr/bin/env bash
# `make serve`: the workbench on SQLite with the demo's data in it, started afresh each time.
# The bundled community → unit lists become offices under 本级 (the top office); the synthetic roster's
# 报到证 are issued and 40 of them come back, all as 本级's; a clerk of 蜊江社区 is made to show that a
# 社区 sees only its own. The URL and both one-time passwords are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
baodao=${BAODAO:-.venv/bin/baodao}
out=output/serve
rm -rf "$out"
mkdir -p "$out"
export BAODAO_DB="$PWD/$out/baodao.sqlite3"
port="${PORT:-8000}"

echo "== 组织：荣成市的社区和驻区单位（data/communities/rongcheng-2019.yaml）"
$baodao orgs import data/communities/rongcheng-2019.yaml --street 荣成市城区街道党工委
echo "== 发放：合成名册 60 人的《在职党员社区报到证》，登记在“本级”"
$baodao generate zz-b1 --data data/roster/members-synthetic.xlsx --out "$out/zz-b1" \
  --issuer "本级" --issue-date 2026-03-02 | sed -n '1p;3p'
echo "== 回收：其中 40 份交回"
ls "$out"/zz-b1/zz-b1-SJ-*.docx | sed -n '1,40p' | tr '\n' '\0' | xargs -0 $baodao intake | tail -n 1
community=$($baodao orgs list | awk '/蜊江社区（社区党组织）/ && !found {print $1; found = 1}')
clerk=$($baodao users add lijiang --office "$community" | sed 's/.*一次性密码：//')
echo "== 蜊江社区的经办人 lijiang，一次性密码：$clerk（只看得到蜊江社区及其下的单位）"
echo "== 启动工作台（Ctrl+C 停止）"
exec $baodao serve --data "$out/data" --port "$port"

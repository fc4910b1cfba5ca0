#!/usr/bin/env bash
# The main job on the bundled sample data: the catalog, both seed notices, a batch issued and returned,
# the tally under the Zhengzhou rules and every filing it asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
baodao=.venv/bin/baodao
out=output/demo
export BAODAO_DB="$PWD/output/baodao.sqlite3"
mkdir -p "$out"

echo "== 表单目录（baodao forms）"
$baodao forms
echo
echo "== 检查全部内置模板（baodao forms check）"
$baodao forms check | grep -c "：通过" | xargs -I{} echo "{} 个模板通过检查"
echo
echo "== 全部表单示例：DOCX、PDF、PNG（baodao forms gallery）"
$baodao forms gallery --out "$out/gallery"
echo
echo "== 公文：荣社发〔2019〕3号 及其附件1–4；郑卫直机党〔2019〕31号 转发 郑直〔2019〕47号"
for notice in data/notices/*.yaml; do
  $baodao notice render "$notice" --out "$out/notices" --pdf | tail -n 1
done
echo
echo "== 批量生成：合成名册 → 每人一份《在职党员社区报到证》，合并打印文件及 PDF，登记发放"
$baodao generate zz-b1 --data data/roster/members-synthetic.xlsx --out "$out/zz-b1" --pdf \
  --issuer "上街区委组织部" --issue-date 2025-03-01
echo
echo "== 发放登记：到 2025-04-01 仍未交回的（应于 3 月 31 日前报到，003 §4.2）"
$baodao issued --form zz-b1 --overdue --today 2025-04-01 | tail -n 4
echo
echo "== 回收：读入交回的报到证（这里以刚生成的文件代替交回的表单，最后 5 份当作未交回），登记随之改为已交回"
ls "$out"/zz-b1/zz-b1-SJ-*.docx | sed -n '1,55p' | tr '\n' '\0' | xargs -0 $baodao intake | tail -n 1
echo
echo "== 扫描件：第 56 份报到证交回的是纸质件——打印、扫描成 200 dpi 的 JPEG，读入；凭二维码认出是哪一份"
mkdir -p "$out/scans"
pdftoppm -r 200 -f 56 -l 56 -jpeg -singlefile "$out/zz-b1/zz-b1-combined.pdf" "$out/scans/扫描件-SJ-2025-0056"
$baodao intake "$out/scans/扫描件-SJ-2025-0056.jpg" | tail -n 2
echo "把握不足、需要核对的值（baodao review）："
$baodao review --form zz-b1 | sed -n '1,8p'
$baodao issued --form zz-b1 --overdue --today 2025-04-01 | tail -n 1
$baodao records export --form zz-b1 --out "$out/zz-b1-回收记录.xlsx"
echo
echo "== 统计：党员名册（应报到的人）和合成的活动台账，按郑州规则统计 2025 年上半年"
$baodao roster load data/roster/members-synthetic.xlsx
$baodao ledger import data/ledger/activities-2025-synthetic.xlsx
$baodao tally --policy zhengzhou-2019 --year 2025 --half 1 --today 2025-07-10 | sed -n "1,20p"  # sed reads to the end: head would close the pipe under baodao
echo
echo "== 报表：汇总表、反馈通知单（附汇总表）、积分评星登记表、统计表、抽查名单、逾期和未报到名单、十星证书、先锋榜"
period=(--policy zhengzhou-2019 --year 2025 --half 1 --today 2025-07-10 --out "$out/reports")
$baodao report summary "${period[@]}" --pdf | tail -n 1
$baodao report feedback "${period[@]}" --issuer 中共郑州市上街区委组织部 --pdf | tail -n 1
$baodao report score-sheets "${period[@]}" | tail -n 1
$baodao report stats "${period[@]}" | tail -n 1
$baodao report spot-check "${period[@]}" | tail -n 1
$baodao report overdue "${period[@]}" | tail -n 1
$baodao report certificates "${period[@]}" --pdf | tail -n 1
$baodao report honour-roll "${period[@]}" --pdf | tail -n 1
echo
echo "完成。请查看 $out/ 下的文件（数据库：output/baodao.sqlite3）。"

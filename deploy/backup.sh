#!/usr/bin/env bash
# Backs up baodao: the database (pg_dump, custom format) and the file store (rsync, hard-linked to the last
# backup so an unchanged file costs nothing), into BACKUP_DIR/YYYY-MM-DD/. Run daily from cron or a timer on
# a machine that reaches the database and mounts the file store; keep BACKUP_DIR on other disks.
# Restore: see README, “City deployment”.
set -euo pipefail
source /etc/baodao/baodao.env
backup_dir=${BACKUP_DIR:-/srv/backup/baodao}
today=$(date +%F)
target="$backup_dir/$today"
mkdir -p "$target"
# The database first: a file the dump names is then surely in the store copied after it.
pg_dump --format=custom --no-owner --file="$target/baodao.pgdump" "$BAODAO_DB"
last=$(ls -1d "$backup_dir"/????-??-?? 2>/dev/null | grep -v "$today" | tail -1 || true)
link=()
[ -n "$last" ] && link=(--link-dest="$last/files")
rsync -a --delete "${link[@]}" "$BAODAO_FILES/" "$target/files/"
echo "backup: $target ($(du -sh "$target" | cut -f1))"

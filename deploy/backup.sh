#!/bin/sh
# Take one online backup of the Fotfeste database and keep the newest $FOTFESTE_BACKUP_KEEP copies.
# `fotfeste backup` uses SQLite's online backup API, so the copy is consistent while the server
# writes; it checks the copy's integrity before it reports success.
set -eu

FOTFESTE=${FOTFESTE:-/opt/fotfeste/.venv/bin/fotfeste}
BACKUP_DIR=${FOTFESTE_BACKUP_DIR:-/var/backups/fotfeste}
KEEP=${FOTFESTE_BACKUP_KEEP:-14}

mkdir -p "$BACKUP_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_DIR/fotfeste-$stamp.sqlite3"

"$FOTFESTE" backup "$target"

# The VAPID key lives beside the database, not in it; keep a copy next to the backups.
key="${FOTFESTE_DATA_DIR:-/var/lib/fotfeste}/vapid_private_key.pem"
if [ -f "$key" ] && ! cmp -s "$key" "$BACKUP_DIR/vapid_private_key.pem"; then
    cp -p -- "$key" "$BACKUP_DIR/vapid_private_key.pem"
fi

# Keep the newest $KEEP backups. Old copies hold deleted accounts' data: pruning them is how
# "delete my account" reaches the backups too (README.md, "Data retention").
ls -1t "$BACKUP_DIR"/fotfeste-*.sqlite3 2>/dev/null | tail -n +"$((KEEP + 1))" | while read -r old; do
    rm -f -- "$old"
done

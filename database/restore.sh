#!/usr/bin/env bash
# EAS restore: loads a backup made by backup.sh into an EMPTY PostgreSQL database, in one transaction (all or nothing),
# and unpacks the media archive into the media folder.
#
#   DATABASE_URL=postgres://user:pass@host:5432/eas_restored database/restore.sh backups/eas-db-….dump [backups/eas-media-….tar.gz]
#
# MEDIA_DIR: where to unpack media (default: cms/public/uploads). Stop EAS first; start it again afterwards.
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fail() { echo "[eas-restore] FAILED: $*" >&2; exit 1; }
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

: "${DATABASE_URL:?[eas-restore] DATABASE_URL is required (postgres://…, an empty database)}"
dump="${1:-}"
archive="${2:-}"
[[ -f "$dump" ]] || fail "give the database dump to restore (got '${dump}')"
[[ -z "$archive" || -f "$archive" ]] || fail "media archive '$archive' not found"
for tool in pg_restore psql; do command -v "$tool" >/dev/null || fail "$tool not found (install postgresql-client)"; done

tables="$(psql "$DATABASE_URL" -tAc "select count(*) from information_schema.tables where table_schema = 'public'")"
[[ "$tables" == "0" ]] || fail "the target database is not empty ($tables tables); restore into a new, empty database"

pg_restore --single-transaction --exit-on-error --no-owner --no-privileges --dbname="$DATABASE_URL" "$dump"
echo "[eas-restore] database restored from $dump"

if [[ -n "$archive" ]]; then
  media="${MEDIA_DIR:-$here/../cms/public/uploads}"
  mkdir -p "$media"
  tar -xzf "$archive" -C "$media"
  echo "[eas-restore] media restored into $media"
fi
echo "[eas-restore] done"

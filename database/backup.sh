#!/usr/bin/env bash
# EAS backup: a PostgreSQL custom-format dump of DATABASE_URL and an archive of the local media folder, timestamped,
# with retention. Exits non-zero with a message on any failure; a partial file never looks like a finished backup.
#
#   DATABASE_URL=postgres://user:pass@host:5432/eas database/backup.sh
#
# Settings (environment):
#   BACKUP_DIR             where backups go (default: database/backups next to this script)
#   BACKUP_RETENTION_DAYS  delete eas-* backups older than this many days (default 30)
#   MEDIA_DIR              local uploads folder to archive (default: cms/public/uploads); skipped if absent
#   S3_BUCKET              when media live in S3, they are not copied here: sync the bucket separately, e.g.
#                          aws s3 sync "s3://$S3_BUCKET" "$BACKUP_DIR/s3-$S3_BUCKET" (versioning on the bucket is advised)
#
# Cron (every night at 02:30, as the user owning the backups):
#   30 2 * * * cd /srv/eas && DATABASE_URL=… database/backup.sh >> /var/log/eas-backup.log 2>&1
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fail() { echo "[eas-backup] FAILED: $*" >&2; exit 1; }
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

: "${DATABASE_URL:?[eas-backup] DATABASE_URL is required (postgres://…)}"
command -v pg_dump >/dev/null || fail "pg_dump not found (install postgresql-client)"
dir="${BACKUP_DIR:-$here/backups}"
retention="${BACKUP_RETENTION_DAYS:-30}"
media="${MEDIA_DIR:-$here/../cms/public/uploads}"
[[ "$retention" =~ ^[0-9]+$ ]] || fail "BACKUP_RETENTION_DAYS must be a whole number of days (got '$retention')"
mkdir -p "$dir"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dump="$dir/eas-db-$stamp.dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
echo "[eas-backup] database: $dump ($(du -h "$dump" | cut -f1))"

if [[ -n "${S3_BUCKET:-}" ]]; then
  echo "[eas-backup] media are in S3 bucket '$S3_BUCKET': sync it separately (see the header of this script)"
elif [[ -d "$media" ]]; then
  archive="$dir/eas-media-$stamp.tar.gz"
  tar -czf "$archive.partial" -C "$media" .
  mv "$archive.partial" "$archive"
  echo "[eas-backup] media: $archive ($(du -h "$archive" | cut -f1))"
else
  echo "[eas-backup] no media folder at $media; skipped"
fi

removed="$(find "$dir" -maxdepth 1 -type f -name 'eas-*' -mtime "+$retention" -print -delete | wc -l)"
echo "[eas-backup] retention: removed $removed backup file(s) older than $retention days"
echo "[eas-backup] done"

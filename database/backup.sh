#!/usr/bin/env bash
# EAS backup: a PostgreSQL custom-format dump of DATABASE_URL, an archive of the local evidence store (photos and
# signatures) and one of the public media folder, timestamped, with retention. Exits non-zero with a message on any
# failure; a partial file never looks like a finished backup. The evidence archive holds personal data: keep backups
# as private as the server (mode 0600 here). The signing key (EAS_SIGNING_KEY) is NOT in any backup: keep it apart.
#
#   DATABASE_URL=postgres://user:pass@host:5432/eas database/backup.sh
#
# Settings (environment):
#   BACKUP_DIR             where backups go (default: database/backups next to this script)
#   BACKUP_RETENTION_DAYS  delete eas-* backups older than this many days (default 30)
#   EVIDENCE_DIR           local evidence store to archive (default: cms/evidence, as EAS_EVIDENCE_DIR); skipped if absent
#   MEDIA_DIR              local public uploads folder to archive (default: cms/public/uploads); skipped if absent
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
evidence="${EVIDENCE_DIR:-${EAS_EVIDENCE_DIR:-$here/../cms/evidence}}"
[[ "$retention" =~ ^[0-9]+$ ]] || fail "BACKUP_RETENTION_DAYS must be a whole number of days (got '$retention')"
mkdir -p "$dir"
umask 077

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dump="$dir/eas-db-$stamp.dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
echo "[eas-backup] database: $dump ($(du -h "$dump" | cut -f1))"

archive_folder() { # name folder
  local archive="$dir/eas-$1-$stamp.tar.gz"
  tar -czf "$archive.partial" -C "$2" .
  mv "$archive.partial" "$archive"
  echo "[eas-backup] $1: $archive ($(du -h "$archive" | cut -f1))"
}
if [[ -n "${S3_BUCKET:-}" ]]; then
  echo "[eas-backup] evidence and media are in S3 bucket '$S3_BUCKET': sync it separately (see the header of this script)"
else
  if [[ -d "$evidence" ]]; then archive_folder evidence "$evidence"; else echo "[eas-backup] no evidence folder at $evidence; skipped"; fi
  if [[ -d "$media" ]]; then archive_folder media "$media"; else echo "[eas-backup] no media folder at $media; skipped"; fi
fi

removed="$(find "$dir" -maxdepth 1 -type f -name 'eas-*' -mtime "+$retention" -print -delete | wc -l)"
echo "[eas-backup] retention: removed $removed backup file(s) older than $retention days"
echo "[eas-backup] done"

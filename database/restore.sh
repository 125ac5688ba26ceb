#!/usr/bin/env bash
# EAS restore: loads a backup made by backup.sh into an EMPTY PostgreSQL database, in one transaction (all or nothing),
# and unpacks the media archive into the media folder.
#
#   DATABASE_URL=postgres://user:pass@host:5432/eas_restored database/restore.sh backups/eas-db-….dump \
#     [backups/eas-media-….tar.gz] [backups/eas-evidence-….tar.gz]
#
# MEDIA_DIR: where to unpack public media (default: cms/public/uploads); EVIDENCE_DIR: where to unpack the evidence
# store (default: cms/evidence, as EAS_EVIDENCE_DIR). Stop EAS first; start it again afterwards with the same
# EAS_SIGNING_KEY, then run `npm run verify`: it re-hashes every restored file against the restored audit chain.
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fail() { echo "[eas-restore] FAILED: $*" >&2; exit 1; }
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

: "${DATABASE_URL:?[eas-restore] DATABASE_URL is required (postgres://…, an empty database)}"
dump="${1:-}"
archive="${2:-}"
evidence_archive="${3:-}"
[[ -f "$dump" ]] || fail "give the database dump to restore (got '${dump}')"
[[ -z "$archive" || -f "$archive" ]] || fail "media archive '$archive' not found"
[[ -z "$evidence_archive" || -f "$evidence_archive" ]] || fail "evidence archive '$evidence_archive' not found"
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
if [[ -n "$evidence_archive" ]]; then
  evidence="${EVIDENCE_DIR:-${EAS_EVIDENCE_DIR:-$here/../cms/evidence}}"
  mkdir -p "$evidence" && chmod 700 "$evidence"
  tar -xzf "$evidence_archive" -C "$evidence"
  echo "[eas-restore] evidence restored into $evidence"
fi
echo "[eas-restore] done"

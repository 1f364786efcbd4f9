#!/bin/sh
# The nightly backup (redpinar-backup.service): a .tar.gz of the data folder into FOLDER, keeping the newest KEEP.
# Usage: deploy/redpinar-backup.sh FOLDER [KEEP]   (the data folder comes from REDPINAR_DATA_DIR, as for the portal)
set -eu
folder="${1:?usage: redpinar-backup.sh FOLDER [KEEP]}"
keep="${2:-14}"
install_dir="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$folder"
# Backups hold personal data and the secret key.
chmod 700 "$folder"
cd "$install_dir"
"${REDPINAR_PYTHON:-$install_dir/.venv/bin/python}" -m flask --app app backup "$folder"
# Old copies go only after a new one was written (set -e stops before this otherwise).
# The names carry the date and time, so the newest sort last.
ls -1 "$folder"/redpinar-backup-*.tar.gz | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
    rm -f -- "$old"
done

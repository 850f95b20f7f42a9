#!/usr/bin/env bash
# The extension's gettext catalogue (English msgids, Spanish translations).
#   i18n.sh compile   .po -> .mo (run by deps.sh at every install; the .mo
#                     is a build product and is not committed)
#   i18n.sh update    extract the messages of the code and templates into
#                     i18n/ckanext-ogpguatemala.pot, merge them into the
#                     Spanish .po (new ones untranslated), then compile
source "$(dirname "$0")/lib.sh"

I18N="$ROOT/ckanext/ogpguatemala/i18n"
DOMAIN=ckanext-ogpguatemala
PYBABEL="$VENV/bin/pybabel"

compile() {
  "$PYBABEL" -q compile -d "$I18N" -D "$DOMAIN" 2>&1 \
    || die "pybabel compile failed"
}

update() {
  (cd "$ROOT" && "$PYBABEL" -q extract -F babel.cfg -k N_ -k translate \
    --project=ckanext-ogpguatemala --no-location --sort-output \
    -o "$I18N/$DOMAIN.pot" ckanext/ogpguatemala)
  "$PYBABEL" -q update -i "$I18N/$DOMAIN.pot" -d "$I18N" -D "$DOMAIN" --no-fuzzy-matching --ignore-obsolete
  compile
}

case "${1:-}" in
  compile) compile ;;
  update) update ;;
  *) echo "usage: $0 compile|update" >&2; exit 2 ;;
esac

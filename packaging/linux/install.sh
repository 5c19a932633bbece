#!/usr/bin/env bash
# Per-user desktop integration for Collective Security Sandbox on Linux: the launcher
# entry, the application/x-security-sandbox file type (*.sandbox) and the hicolor icons,
# under XDG_DATA_HOME (default ~/.local/share). Safe to run again; uninstall.sh undoes it.
#
# Usage: install.sh [--exec PROGRAM]
#   PROGRAM is what the launcher starts. Default: the bundle's executable when this
#   script sits in a PyInstaller bundle (BUNDLE/linux/install.sh), else
#   `security-sandbox` as found on PATH now (pip install).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=layout.sh
. "$here/layout.sh"

die() {
    echo "install.sh: $*" >&2
    exit 2
}

program=""
while [ $# -gt 0 ]; do
    case "$1" in
        --exec)
            [ $# -ge 2 ] || die "--exec needs a program"
            program="$2"
            shift 2
            ;;
        -h | --help)
            sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        *) die "unknown argument: $1 (usage: install.sh [--exec PROGRAM])" ;;
    esac
done

if [ -z "$program" ]; then
    if [ -x "$here/../$APP_ID" ] && [ -f "$here/../$APP_ID" ]; then
        program="$(cd "$here/.." && pwd)/$APP_ID"
    elif command -v "$APP_ID" >/dev/null 2>&1; then
        program="$(command -v "$APP_ID")" # absolute: the desktop session's PATH may lack a venv's bin
    else
        die "cannot find the $APP_ID program: install the app (pip install .) or pass --exec PROGRAM"
    fi
fi
case "$program" in
    /*) ;;
    */*) program="$PWD/$program" ;;
esac
case "$program" in
    */*) [ -f "$program" ] && [ -x "$program" ] || die "not an executable program: $program" ;;
esac
# These would need escaping twice over in a desktop entry's Exec key; refuse them instead.
case "$program" in
    *[\"\`\$\\%]* | *$'\n'*) die "the program path may not contain \", \`, \$, \\, % or a newline: $program" ;;
esac

icons=""
for candidate in "$here/../../resources/icons" "$here/../_internal/sandbox/resources/icons"; do
    if [ -f "$candidate/$APP_ID.svg" ]; then
        icons="$(cd "$candidate" && pwd)"
        break
    fi
done
[ -n "$icons" ] || die "cannot find the icons (resources/icons/$APP_ID.svg) beside $here"

# The launcher entry, pointed at the program (quoted: the path may hold spaces).
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line; do
    case "$line" in
        Exec=*) echo "Exec=\"$program\" %f" ;;
        TryExec=*) echo "TryExec=$program" ;;
        *) echo "$line" ;;
    esac
done <"$here/$APP_ID.desktop" >"$tmp"
install -D -m 644 "$tmp" "$desktop_file"
install -D -m 644 "$here/$APP_ID.xml" "$mime_file"
install -D -m 644 "$icons/$APP_ID.svg" "$svg_icon_file"
for size in "${ICON_SIZES[@]}"; do
    install -D -m 644 "$icons/$APP_ID-$size.png" "$(png_icon_file "$size")"
done

refresh_databases
if command -v xdg-mime >/dev/null 2>&1; then
    mkdir -p "$config_home"
    xdg-mime default "$APP_ID.desktop" "$MIME_TYPE" || echo "install.sh: xdg-mime could not make $APP_ID the default for $MIME_TYPE" >&2
fi
echo "Installed $APP_ID into $data_home (starts: $program)"

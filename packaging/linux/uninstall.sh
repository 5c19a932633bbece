#!/usr/bin/env bash
# Undo install.sh: remove the launcher entry, the file type and the icons it wrote under
# XDG_DATA_HOME, and its default-application line in XDG_CONFIG_HOME/mimeapps.list.
# Files of other applications are left alone. Safe to run again.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=layout.sh
. "$here/layout.sh"

rm -f "$desktop_file" "$mime_file" "$svg_icon_file"
for size in "${ICON_SIZES[@]}"; do
    rm -f "$(png_icon_file "$size")"
done

if [ -f "$mimeapps_list" ]; then
    sed -i "\\|^$MIME_TYPE=$APP_ID\\.desktop;\\{0,1\\}\$|d" "$mimeapps_list"
    # A list left with nothing but its section header held only our line.
    if ! grep -qv '^\[Default Applications\]$\|^[[:space:]]*$' "$mimeapps_list"; then
        rm -f "$mimeapps_list"
    fi
fi

refresh_databases

# Remove the folders install created, where they are now empty.
for size in "${ICON_SIZES[@]}"; do
    rmdir "$hicolor_dir/${size}x${size}/apps" "$hicolor_dir/${size}x${size}" 2>/dev/null || true
done
rmdir "$hicolor_dir/scalable/apps" "$hicolor_dir/scalable" "$hicolor_dir" "$data_home/icons" \
    "$applications_dir" 2>/dev/null || true
rmdir "$config_home" 2>/dev/null || true
echo "Removed $APP_ID from $data_home"

# Where the per-user desktop integration lives; sourced by install.sh and uninstall.sh
# so that uninstall removes exactly the files install writes.
# shellcheck shell=bash

APP_ID="security-sandbox"
MIME_TYPE="application/x-security-sandbox"
ICON_SIZES=(16 24 32 48 64 128 256 512)

data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
config_home="${XDG_CONFIG_HOME:-$HOME/.config}"
applications_dir="$data_home/applications"
mime_dir="$data_home/mime"
hicolor_dir="$data_home/icons/hicolor"
desktop_file="$applications_dir/$APP_ID.desktop"
mime_file="$mime_dir/packages/$APP_ID.xml"
svg_icon_file="$hicolor_dir/scalable/apps/$APP_ID.svg"
mimeapps_list="$config_home/mimeapps.list"

png_icon_file() {
    echo "$hicolor_dir/${1}x${1}/apps/$APP_ID.png"
}

# Rebuild the caches that menus and file managers read, where the tools exist. Once the
# last MIME package or desktop entry is gone, its cache would describe nothing: removed.
refresh_databases() {
    if [ -d "$mime_dir/packages" ] && [ -z "$(ls -A "$mime_dir/packages")" ]; then
        rm -rf "$mime_dir" # everything beside packages/ is generated from it
    elif [ -d "$mime_dir/packages" ] && command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$mime_dir"
    fi
    if ! compgen -G "$applications_dir/*.desktop" >/dev/null; then
        rm -f "$applications_dir/mimeinfo.cache"
    elif command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$applications_dir"
    fi
    if [ -f "$hicolor_dir/index.theme" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$hicolor_dir" || true
    fi
}

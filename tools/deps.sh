#!/bin/sh
# Installs the Debian packages costcap needs to build and test, when they
# are missing. As root it runs apt-get; otherwise it says what to install.
pkgs="build-essential pkg-config libyaml-dev libgsl-dev libncurses-dev libcmocka-dev tmux python3 bzip2"
missing=""
for p in $pkgs; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq $missing >/dev/null || exit 1
else
	echo "missing packages:$missing" >&2
	echo "run: sudo apt-get install$missing" >&2
	exit 1
fi

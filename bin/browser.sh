# Sourced by ./latchkey test and .ci/run: makes sure Debian's chromium and chromium-driver are
# installed, since the portal's tests drive a real headless Chromium. Installs them when
# missing (as root, or through sudo without a password); otherwise says what to install.

latchkey_ensure_browser() {
	if [ -x "${CHROME_BIN:-/usr/bin/chromium}" ] && [ -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ]; then
		return 0
	fi
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
			echo "The portal tests need chromium and chromium-driver: apt-get install chromium chromium-driver" >&2
			return 1
		fi
	fi
	echo "Installing chromium and chromium-driver for the portal's browser tests..." >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver
}

latchkey_ensure_browser

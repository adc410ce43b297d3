# Sourced by ./latchkey test and .ci/run: makes sure Debian's redis-server 7 (with redis-cli) is
# installed, since the storage contract tests also run on a real Redis Cluster and behind real
# Sentinels, started from it (the standalone tests use the binary a Maven dependency ships).
# Installs it when missing (as root, or through sudo without a password); otherwise says what
# to install.

latchkey_ensure_redis() {
	if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 \
			&& redis-server --version | grep -q ' v=7\.'; then
		return 0
	fi
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
			echo "The Cluster and Sentinel tests need Redis 7: apt-get install redis-server" >&2
			return 1
		fi
	fi
	echo "Installing redis-server for the Cluster and Sentinel tests..." >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server redis-tools
	# Only the binary is wanted: no system-wide Redis listening on 6379 (./latchkey run uses that port).
	if command -v systemctl >/dev/null 2>&1; then $sudo systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
	$sudo service redis-server stop >/dev/null 2>&1 || true
}

latchkey_ensure_redis

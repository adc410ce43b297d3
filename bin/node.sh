# Sourced by ./latchkey test and .ci/run: makes sure Node.js and npm are installed (Debian's
# nodejs and npm), and the dependencies of examples/ssf-receiver-node (jose, from its
# package-lock.json), since an end-to-end test runs that receiver of Shared Signals as a Node
# process. Installs Node.js when missing (as root, or through sudo without a password);
# otherwise says what to install. Runs `npm ci` when node_modules is missing or older than the
# lock file.

latchkey_ensure_node() {
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		local sudo=""
		if [ "$(id -u)" -ne 0 ]; then
			if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
				echo "The Node receiver's end-to-end test needs Node.js: apt-get install nodejs npm" >&2
				return 1
			fi
		fi
		echo "Installing nodejs and npm for the Node receiver's end-to-end test..." >&2
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
	fi
	local example=examples/ssf-receiver-node
	if [ ! -f "$example/node_modules/.package-lock.json" ] \
			|| [ "$example/package-lock.json" -nt "$example/node_modules/.package-lock.json" ]; then
		echo "Installing the Node receiver's dependencies (npm ci in $example)..." >&2
		npm ci --prefix "$example" --no-audit --no-fund --loglevel=error >&2
	fi
}

latchkey_ensure_node

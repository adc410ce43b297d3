# Sourced by ./latchkey test and .ci/run: makes sure Debian's docker.io (dockerd 20.10 and its
# CLI), docker-compose (1.29) and debootstrap are installed, since the Docker test
# (docker-tests/) starts an engine of its own, builds the base images from Debian's packages
# (bin/docker-base.sh) and runs docker/compose.yaml on it. Installs them when missing (as root,
# or through sudo without a password); otherwise says what to install. No engine is left on the
# default socket: the other tests use Testcontainers, which would find it and try to pull images.

latchkey_ensure_docker() {
	if [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] && command -v docker-compose >/dev/null 2>&1 \
			&& command -v debootstrap >/dev/null 2>&1; then
		return 0
	fi
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
			echo "The Docker test needs docker.io, docker-compose and debootstrap: apt-get install docker.io docker-compose debootstrap" >&2
			return 1
		fi
	fi
	echo "Installing docker.io, docker-compose and debootstrap for the Docker test..." >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		docker.io docker-compose debootstrap >/dev/null
	# Only the binaries are wanted: where the package started an engine on /var/run/docker.sock
	# (a machine with systemd or an init script allowed to run), stop it again.
	if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
		$sudo systemctl disable --now docker.service docker.socket >/dev/null 2>&1 || true
	fi
	$sudo service docker stop >/dev/null 2>&1 || true
}

latchkey_ensure_docker

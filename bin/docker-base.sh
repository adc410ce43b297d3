#!/usr/bin/env bash
# Builds, on the Docker engine of DOCKER_HOST (else the default one), the base images that
# docker/Dockerfile and docker/compose.yaml use where no image registry is reachable, from
# Debian's packages alone:
#   latchkey-base/debian:bookworm    debootstrap --variant=minbase bookworm, loaded with docker import
#   latchkey-base/jdk:local          that + this machine's JDK 21+ (bin/jdk.sh) at /opt/java/openjdk
#   latchkey-base/jre:local          the same JDK (the image is the runtime too)
#   latchkey-base/redis:local        that + Debian's redis-server (7.0), running as user redis
#   latchkey-base/prometheus:local   that + Debian's prometheus (and wget for its health check)
# An image that exists already is kept. Needs root (debootstrap), debootstrap and the network
# to deb.debian.org (and, inside the builds, host networking). Then:
#   JDK_IMAGE=latchkey-base/jdk:local JRE_IMAGE=latchkey-base/jre:local REDIS_IMAGE=latchkey-base/redis:local \
#     PROMETHEUS_IMAGE=latchkey-base/prometheus:local docker compose -f docker/compose.yaml build
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk.sh

DOCKER=${DOCKER:-docker}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_IMAGE=latchkey-base/debian:bookworm
work=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-docker-base.XXXXXX")
trap 'rm -rf "$work"' EXIT

exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# build IMAGE CONTEXT: builds CONTEXT/Dockerfile with host networking (apt-get inside the build)
build() {
	echo "docker-base: building $1" >&2
	"$DOCKER" build -q --network host -t "$1" "$2" >/dev/null
}

if ! exists "$DEBIAN_IMAGE"; then
	echo "docker-base: debootstrap --variant=minbase bookworm (a minute or two)" >&2
	debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
		|| { cat "$work/debootstrap.log" >&2; exit 1; }
	rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
	tar -C "$work/rootfs" -c . | "$DOCKER" import -c 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
	rm -rf "$work/rootfs"
fi

if ! exists latchkey-base/jdk:local; then
	mkdir -p "$work/jdk"
	cp -a "$JAVA_HOME" "$work/jdk/openjdk"
	# Debian's JDK packages link cacerts to /etc/ssl/certs/java/cacerts, which the image lacks:
	# without a real file Maven's TLS to Maven Central fails inside the build.
	rm -f "$work/jdk/openjdk/lib/security/cacerts"
	cp -L "$JAVA_HOME/lib/security/cacerts" "$work/jdk/openjdk/lib/security/cacerts"
	cat >"$work/jdk/Dockerfile" <<-DOCKERFILE
		FROM $DEBIAN_IMAGE
		COPY openjdk /opt/java/openjdk
		ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
		RUN java -version
	DOCKERFILE
	build latchkey-base/jdk:local "$work/jdk"
fi
exists latchkey-base/jre:local || "$DOCKER" tag latchkey-base/jdk:local latchkey-base/jre:local

# apt_image IMAGE PACKAGES... EXTRA-DOCKERFILE-LINES: the Debian image plus Debian's packages
apt_image() {
	local image=$1 packages=$2 extra=$3 dir
	exists "$image" && return 0
	dir="$work/$(basename "${image%%:*}")"
	mkdir -p "$dir"
	printf '%s\n' "FROM $DEBIAN_IMAGE" \
		"RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null && rm -rf /var/lib/apt/lists/*" \
		"$extra" >"$dir/Dockerfile"
	build "$image" "$dir"
}

apt_image latchkey-base/redis:local redis-server \
	"RUN mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
CMD [\"redis-server\"]"
apt_image latchkey-base/prometheus:local "prometheus wget" \
	"RUN mkdir -p /prometheus && chown prometheus:prometheus /prometheus
WORKDIR /prometheus
USER prometheus
ENTRYPOINT [\"prometheus\"]
CMD [\"--config.file=/etc/prometheus/prometheus.yml\", \"--storage.tsdb.path=/prometheus\"]"
echo "docker-base: latchkey-base/{debian:bookworm,jdk:local,jre:local,redis:local,prometheus:local} are there" >&2

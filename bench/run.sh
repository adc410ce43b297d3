#!/usr/bin/env bash
# Latchkey's benchmark suite, one command: bench/run.sh
# Starts Redis, the auth server and three resource APIs on loopback (free ports, a temporary
# folder), runs the rounds interleaved, prints the ratios of bench/README.md and one summary line,
# and stops everything. About 9 minutes. BENCH_SECONDS (5), BENCH_ROUNDS (5) and
# BENCH_CONNECTIONS (16) tune it. Needs wrk and redis-server (installed from Debian's packages
# when missing and this runs as root) and a JDK 21+.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk.sh
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
	else
		echo "bench needs: ${missing[*]} (apt-get install ${missing[*]})" >&2
		exit 2
	fi
fi
./mvnw -B -q package -DskipTests -pl auth-server,resource-api,bench -am
exec python3 bench/bench.py

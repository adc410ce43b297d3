#!/usr/bin/env bash
# Introspection throughput of the auth server on this machine, on loopback only, bounded in time.
# Starts the auth server (embedded Redis in a temporary folder), generates a token, then runs wrk against
# /oauth2/introspect twice: with the verified-secret cache (the product) and with it off (ttl 0). The
# client's {noop} secret is upgraded to BCrypt by Spring on first use, so without the cache every call
# pays for BCrypt, as with stock Spring Authorization Server.
# Needs wrk (apt-get install wrk). Usage: bench/introspection.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk.sh
seconds=${1:-10}
command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install wrk" >&2; exit 2; }
./mvnw -B -q -pl auth-server -am package -DskipTests
work=$(mktemp -d)

run() {
	local ttl=$1 port=19000 redis=16399 pid token
	"$JAVA_HOME/bin/java" -jar auth-server/target/latchkey-auth-server-exec.jar --server.port=$port \
		--latchkey.redis.embedded.port=$redis --latchkey.redis.embedded.data-dir="$work/redis-$ttl" \
		--latchkey.admin.password=bench-admin-password --latchkey.introspection.client-secret-cache-ttl="$ttl" \
		--logging.level.root=WARN > "$work/server-$ttl.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null && break; sleep 0.5; done
	token=$(curl -s -u admin:bench-admin-password -H Content-Type:application/json -d '{}' \
		"http://127.0.0.1:$port/api/me/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
	cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "token=$token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(printf 'resource-api:resource-api-secret' | base64)"
LUA
	wrk -t2 -c8 -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port/oauth2/introspect" >/dev/null  # warm-up
	echo "== client-secret cache ttl $ttl"
	wrk -t2 -c8 -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/oauth2/introspect" \
		| grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
	kill $pid; wait $pid 2>/dev/null || true
}

run 10m
run 0s
rm -rf "$work"

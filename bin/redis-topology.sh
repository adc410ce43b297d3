#!/usr/bin/env bash
# A local Redis Cluster or Sentinel set-up on loopback, to try Latchkey against (see the README,
# "Operations"). Uses Debian's redis-server 7 (installed first when missing, see bin/redis.sh);
# data, logs and pid files under data/redis-<topology>/.
#   bin/redis-topology.sh cluster    3 primaries + 3 replicas on 127.0.0.1:7001-7006
#   bin/redis-topology.sh sentinel   primary :6380, replica :6381, Sentinels :26380-26382
#   bin/redis-topology.sh stop       stops whichever of them runs
# Each prints the environment that points ./latchkey run (both of its services) at it.
set -euo pipefail
cd "$(dirname "$0")/.."

start_server() {
	local dir=$1 port=$2
	shift 2
	redis-server --port "$port" --bind 127.0.0.1 --dir "$PWD/$dir" --daemonize yes \
		--pidfile "$PWD/$dir/redis-$port.pid" --logfile "$PWD/$dir/redis-$port.log" \
		--appendonly yes --appendfilename "appendonly-$port.aof" --appenddirname "aof-$port" \
		--maxmemory-policy noeviction "$@"
}

await() {
	local what=$1
	shift
	for _ in $(seq 1 100); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.2
	done
	echo "redis-topology: timed out waiting for $what" >&2
	return 1
}

case "${1:-}" in
	cluster)
		. bin/redis.sh
		dir=data/redis-cluster
		mkdir -p "$dir"
		ports=(7001 7002 7003 7004 7005 7006)
		for port in "${ports[@]}"; do
			start_server "$dir" "$port" --cluster-enabled yes --cluster-config-file "nodes-$port.conf" \
				--cluster-node-timeout 2000
		done
		for port in "${ports[@]}"; do await "port $port" redis-cli -p "$port" ping; done
		if ! redis-cli -p 7001 cluster info | grep -q 'cluster_state:ok'; then
			redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 1 --cluster-yes >/dev/null
		fi
		await "the cluster" sh -c "redis-cli -p 7001 cluster info | grep -q cluster_state:ok"
		echo "export SPRING_DATA_REDIS_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003"
		;;
	sentinel)
		. bin/redis.sh
		dir=data/redis-sentinel
		mkdir -p "$dir"
		start_server "$dir" 6380
		start_server "$dir" 6381 --replicaof 127.0.0.1 6380
		for port in 26380 26381 26382; do
			if [ ! -f "$dir/sentinel-$port.conf" ]; then
				printf '%s\n' "port $port" "bind 127.0.0.1" "dir $PWD/$dir" "daemonize yes" \
					"pidfile $PWD/$dir/sentinel-$port.pid" "logfile $PWD/$dir/sentinel-$port.log" \
					"sentinel monitor latchkey 127.0.0.1 6380 2" "sentinel down-after-milliseconds latchkey 1000" \
					"sentinel failover-timeout latchkey 3000" > "$dir/sentinel-$port.conf"
			fi
			redis-server "$dir/sentinel-$port.conf" --sentinel
		done
		for port in 6380 6381 26380 26381 26382; do await "port $port" redis-cli -p "$port" ping; done
		await "the replica" sh -c "redis-cli -p 6381 info replication | grep -q master_link_status:up"
		echo "export SPRING_DATA_REDIS_SENTINEL_MASTER=latchkey"
		echo "export SPRING_DATA_REDIS_SENTINEL_NODES=127.0.0.1:26380,127.0.0.1:26381,127.0.0.1:26382"
		;;
	stop)
		for pidfile in data/redis-cluster/*.pid data/redis-sentinel/*.pid; do
			[ -f "$pidfile" ] || continue
			kill "$(cat "$pidfile")" 2>/dev/null || true
			rm -f "$pidfile"
		done
		;;
	*)
		sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
		exit 2
		;;
esac

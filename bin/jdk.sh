# Sourced by ./latchkey and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Keeps a suitable JAVA_HOME, else takes the newest suitable JDK on PATH or under /usr/lib/jvm.

latchkey_java_major() {
	"$1/bin/java" -XshowSettings:properties -version 2>&1 \
		| awk -F'= ' '/java.specification.version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]) }'
}

latchkey_pick_jdk() {
	local candidate major
	for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
		[ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
		major=$(latchkey_java_major "$candidate")
		if [ -n "$major" ] && [ "$major" -ge 21 ]; then
			export JAVA_HOME="$candidate"
			return 0
		fi
	done
	echo "Latchkey needs a JDK 21 or newer: install one, or set JAVA_HOME to it." >&2
	return 1
}

latchkey_pick_jdk

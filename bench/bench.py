#!/usr/bin/env python3
"""Latchkey's benchmark suite: starts Redis, the auth server and three resource APIs on loopback,
runs interleaved wrk rounds and the Redis, memory, revocation-latency and cost-growth
measurements, and prints the ratios the issue asks for, ending with one summary line.
Stdlib only; needs wrk, redis-server and a built tree (bench/run.sh sees to all three)."""
import base64, hashlib, http.client, http.server, json, os, re, secrets, signal, socket, statistics
import subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WRK_THREADS = 2
DPOP_WARM = 3  # passes of the DPoP phase before its measured rounds
DPOP_PROOFS_PER_SECOND = int(os.environ.get("BENCH_DPOP_PROOFS_PER_SECOND", "8000"))  # more than are used
WARM_MIN, WARM_MAX, WARM_SECONDS = 4, 6, 4
GROWTH_ROUNDS, GROWTH_SECONDS = 7, 4  # more, shorter rounds: a median of seven p99s swings less
PREFIX = "lkb"
ADMIN_PASSWORD = "bench-admin-password"
CLIENT = ("resource-api", secrets.token_urlsafe(24))  # a secret of this run only: no default works
# two Shared Signals receivers, each a client with its own stream, pushed to on loopback
SSF_CLIENTS = [("ssf-a", secrets.token_urlsafe(24)), ("ssf-b", secrets.token_urlsafe(24))]
WORK = tempfile.mkdtemp(prefix="latchkey-bench-")
processes = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- a tiny Redis client (RESP), enough to pipeline -------------------------------------------

class Redis:
    def __init__(self, port):
        self.port = port
        self.db = 0  # the database SELECT chose, for the loader to write into
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")

    @staticmethod
    def encode(*args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def read(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)[:-2]
            return data.decode(errors="replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError("bad reply %r" % line)

    def call(self, *args):
        self.sock.sendall(self.encode(*args))
        answer = self.read()
        if str(args[0]).upper() == "SELECT":
            self.db = int(args[1])
        return answer

    def pipeline(self, commands):
        self.sock.sendall(b"".join(self.encode(*c) for c in commands))
        return [self.read() for _ in commands]


# --- token records, written by bench/'s LoadTokens through the library's own record layout -------

def load_records(redis, count, owner, uid):
    """count token records of owner, pipelined into Redis by the Java loader (TokenRecordCodec, the
    layout RedisTokenRepository writes): [(key, token)]."""
    out = os.path.join(WORK, "records-%d.txt" % time.monotonic_ns())
    subprocess.run([JAVA, "-jar", os.path.join(ROOT, "bench/target/latchkey-bench-exec.jar"),
                    "redis://127.0.0.1:%d/%d" % (redis.port, redis.db), PREFIX, str(count), owner, uid, out],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL, process_group=0)
    with open(out) as f:
        return [tuple(line.split(" ", 1)) for line in f.read().splitlines()]


# --- processes ---------------------------------------------------------------------------------

# Every process stays in this script's session (its own process group, for stopping it): with Linux's
# scheduler autogroups, a process in a session of its own gets a CPU share equal to all of wrk's, and
# the p99 of every target jumped to ~30 ms in most rounds.
def start(name, args, port, ready_path):
    log = open(os.path.join(WORK, name + ".log"), "w")
    p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, process_group=0)
    processes.append(p)
    deadline = time.time() + 180
    while time.time() < deadline:
        if p.poll() is not None:
            sys.exit("bench: %s exited; see %s" % (name, log.name))
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", ready_path)
            if c.getresponse().status < 500:
                return p
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("bench: %s did not start" % name)


def stop_all():
    for p in processes:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for p in processes:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def http_call(port, method, path, body=None, headers=None, conn=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    return r.status, data


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


# --- wrk ------------------------------------------------------------------------------------------

def wrk(url, seconds, lua=None):
    args = ["wrk", "-t%d" % WRK_THREADS, "-c%d" % CONNECTIONS, "-d%ds" % seconds, "--latency", url]
    if lua:
        args[1:1] = ["-s", lua]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = latency(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    p50 = latency(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "requests": total, "errors": int(non2xx.group(1)) if non2xx else 0}


def latency(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def lua(name, method, body, headers):
    path = os.path.join(WORK, name + ".lua")
    with open(path, "w") as f:
        f.write('wrk.method = "%s"\n' % method)
        if body:
            f.write('wrk.body = "%s"\n' % body)
        for k, v in headers.items():
            f.write('wrk.headers["%s"] = "%s"\n' % (k, v))
    return path


def dpop_lua(token, proofs_file):
    """Each request carries the next unused proof of the file (wrk's threads take turns); past the
    file's end it sends none, and the API's 401s show as errors."""
    path = os.path.join(WORK, "dpop.lua")
    with open(path, "w") as f:
        f.write("""
local threads = 0
function setup(thread)
   thread:set("id", threads)
   threads = threads + 1
end
function init(args)
   proofs = {}
   for line in io.lines("%s") do proofs[#proofs + 1] = line end
   index = id + 1
end
function request()
   local proof = proofs[index] or "exhausted"
   index = index + %d
   return wrk.format("GET", nil, {["Authorization"] = "DPoP %s", ["DPoP"] = proof}, nil)
end
""" % (proofs_file, WRK_THREADS, token))
    return path


def median(values):
    return statistics.median(values)


def main():
    started = time.monotonic()
    redis_port, auth_port = free_port(), free_port()
    api_ports = {"cached": free_port(), "second": free_port(), "uncached": free_port()}
    processes.append(subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"],
                                      stdout=open(os.path.join(WORK, "redis.log"), "w"), process_group=0))
    time.sleep(0.5)
    redis = Redis(redis_port)
    jvm = [JAVA, "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"]
    start("auth-server", jvm + ["-jar", "auth-server/target/latchkey-auth-server-exec.jar",
                               "--server.port=%d" % auth_port, "--spring.data.redis.url=redis://127.0.0.1:%d" % redis_port,
                               "--latchkey.redis.key-prefix=" + PREFIX, "--latchkey.admin.password=" + ADMIN_PASSWORD,
                               "--LATCHKEY_RESOURCE_API_SECRET=" + CLIENT[1],
                               "--logging.level.root=WARN"] + ssf_arguments(), auth_port, "/actuator/health/readiness")
    for name, port in api_ports.items():
        extra = ["--latchkey.resource.introspection.cache-enabled=false"] if name == "uncached" else []
        start("resource-api-" + name, [JAVA, "-Xms256m", "-Xmx256m", "-XX:+UseParallelGC", "-jar",
                                       "resource-api/target/latchkey-resource-api-exec.jar",
                                       "--server.port=%d" % port, "--spring.data.redis.url=redis://127.0.0.1:%d" % redis_port,
                                       "--spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://127.0.0.1:%d/oauth2/introspect" % auth_port,
                                       "--spring.security.oauth2.resourceserver.opaquetoken.client-secret=" + CLIENT[1],
                                       "--logging.level.root=WARN"] + extra, port, "/actuator/health/liveness")

    status, body = http_call(auth_port, "POST", "/api/me/tokens", "{}",
                             {"Authorization": basic("admin", ADMIN_PASSWORD), "Content-Type": "application/json"})
    assert status == 201, body
    token = json.loads(body)["token"]
    bearer = {"Authorization": "Bearer " + token}
    # R2-DPoP: a token bound to a key, presented with a fresh proof of it on every request
    bench_jar = os.path.join(ROOT, "bench/target/latchkey-bench-exec.jar")
    key_file = os.path.join(WORK, "dpop.jwk")
    jkt = subprocess.run([JAVA, "-jar", bench_jar, "key", key_file], capture_output=True, text=True,
                         check=True, env=dict(os.environ, LOADER_MAIN="io.latchkey.bench.DPoPProofFile")).stdout.strip()
    status, body = http_call(auth_port, "POST", "/api/me/tokens", json.dumps({"jkt": jkt}),
                             {"Authorization": basic("admin", ADMIN_PASSWORD), "Content-Type": "application/json"})
    assert status == 201, body
    bound = json.loads(body)["token"]
    whoami_url = "http://127.0.0.1:%d/api/whoami" % api_ports["cached"]
    proofs_file = os.path.join(WORK, "dpop-proofs.txt")
    dpop = dpop_lua(bound, proofs_file)

    def fresh_proofs(seconds):
        # made just before each run: each is used once, and its iat must be recent
        subprocess.run([JAVA, "-jar", bench_jar, "proofs", key_file, bound, "GET", whoami_url,
                        str(DPOP_PROOFS_PER_SECOND * seconds), proofs_file], check=True,
                       env=dict(os.environ, LOADER_MAIN="io.latchkey.bench.DPoPProofFile"))

    introspect = lua("introspect", "POST", "token=" + token,
                     {"Content-Type": "application/x-www-form-urlencoded", "Authorization": basic(*CLIENT)})
    whoami = lua("whoami", "GET", None, bearer)
    targets = [
        ("trivial", "http://127.0.0.1:%d/.well-known/oauth-authorization-server" % auth_port, None),
        ("introspect", "http://127.0.0.1:%d/oauth2/introspect" % auth_port, introspect),
        ("liveness", "http://127.0.0.1:%d/actuator/health/liveness" % api_ports["cached"], None),
        ("cached", "http://127.0.0.1:%d/api/whoami" % api_ports["cached"], whoami),
        ("uncached", "http://127.0.0.1:%d/api/whoami" % api_ports["uncached"], whoami),
    ]
    print("== warm-up: interleaved %d s passes over every target (the uncached one, the slowest to warm, twice) "
          "until each target's last two passes agree within 5 %% (at least %d passes, at most %d)"
          % (WARM_SECONDS, WARM_MIN, WARM_MAX), flush=True)
    warm = {name: [] for name, _, _ in targets}
    for n in range(WARM_MAX):
        for name, url, script in targets:  # interleaved: each JVM's compiler catches up while the others run
            if name == "uncached":
                wrk(url, WARM_SECONDS, script)
            warm[name].append(wrk(url, WARM_SECONDS, script)["rps"])
        print("warm pass %d: %s" % (n + 1, ", ".join("%s %.0f" % (k, v[-1]) for k, v in warm.items())), flush=True)
        if n + 1 >= WARM_MIN and all(abs(v[-1] - v[-2]) <= 0.05 * max(v[-2:]) for v in warm.values()):
            break
    results = {name: [] for name, _, _ in targets}
    for r in range(ROUNDS):
        for name, url, script in targets:
            res = wrk(url, SECONDS, script)
            results[name].append(res)
            print("round %d %-10s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d"
                  % (r + 1, name, res["rps"], res["p50"], res["p99"], res["errors"]), flush=True)
    med = {n: {"rps": median([x["rps"] for x in v]), "p99": median([x["p99"] for x in v])} for n, v in results.items()}
    r1 = med["introspect"]["rps"] / med["trivial"]["rps"]
    r1p99 = med["introspect"]["p99"] / med["trivial"]["p99"]
    r2 = med["cached"]["rps"] / med["liveness"]["rps"]
    r3 = med["uncached"]["rps"] / med["liveness"]["rps"]

    print("== Redis work of a hot token's introspection", flush=True)
    redis.call("CONFIG", "RESETSTAT")
    run = wrk(targets[1][1], SECONDS, introspect)
    stats = redis.call("INFO", "commandstats")
    calls = {m.group(1): int(m.group(2)) for m in re.finditer(r"cmdstat_([\w|]+):calls=(\d+)", stats)}
    calls.pop("info", None)
    writes = sum(v for k, v in calls.items() if k.split("|")[0] in
                 ("hset", "hdel", "del", "set", "incr", "pexpire", "expire", "xadd", "publish"))
    per_call = sum(calls.values()) / run["requests"]
    writes_per_call = writes / run["requests"]
    print("commands %s over %d introspections" % (calls, run["requests"]))

    print("== cost growth (10 / 10k / 1M records, swapped in with SWAPDB between interleaved rounds), "
          "and memory per token record", flush=True)
    now_ms = int(time.time() * 1000)
    uid = redis.call("HGET", "%s:{dir}:user:admin" % PREFIX, "uid")
    live = redis.call("KEYS", PREFIX + ":*")  # the directory, the bench token, the audit stream
    load(redis, 10, "filler", "filler-uid", now_ms)
    redis.call("SELECT", 1)
    load(redis, 10_000, "filler", "filler-uid", now_ms)
    redis.call("SELECT", 2)
    before = used_memory(redis)
    keys = load(redis, 100_000, "filler", "filler-uid", now_ms)
    bytes_delta = (used_memory(redis) - before) / len(keys)
    usage = redis.pipeline([("MEMORY", "USAGE", k, "SAMPLES", "0") for k in keys])
    bytes_usage = sum(usage) / len(usage)
    load(redis, 900_000, "filler", "filler-uid", now_ms)
    redis.call("SELECT", 0)
    database = {10: 0, 10_000: 1, 1_000_000: 2}  # where each data set is; the one in database 0 is live

    def switch_to(stored):
        target = database[stored]
        if target == 0:
            return
        redis.pipeline([("COPY", k, k, "DB", target, "REPLACE") for k in live] + [("SWAPDB", 0, target)])
        previous = next(n for n, db in database.items() if db == 0)
        database[previous], database[stored] = target, 0

    runs = {stored: [] for stored in database}
    for r in range(GROWTH_ROUNDS):
        for stored in runs:
            switch_to(stored)
            wrk(targets[1][1], 1, introspect)
            runs[stored].append(wrk(targets[1][1], GROWTH_SECONDS, introspect))
            print("round %d %9d records: %7.0f req/s p99 %.2f ms" % (r + 1, redis.call("DBSIZE"),
                                                                 runs[stored][-1]["rps"], runs[stored][-1]["p99"]), flush=True)
    switch_to(10)
    growth = {n: {"rps": median([x["rps"] for x in v]), "p99": median([x["p99"] for x in v])} for n, v in runs.items()}
    rps = [g["rps"] for g in growth.values()]
    p99s = [g["p99"] for g in growth.values()]
    growth_rps = (max(rps) - min(rps)) / max(rps)
    growth_p99 = (max(p99s) - min(p99s)) / max(p99s)

    print("== revocation latency (2 resource APIs)", flush=True)
    latencies = revocations(redis, uid, auth_port, [api_ports["cached"], api_ports["second"]], now_ms)
    latencies.sort()
    p50, p99, worst = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99) - 1], latencies[-1]

    print("== revocation latency through Shared Signals push (2 receivers)", flush=True)
    ssf = ssf_revocations(redis, uid, auth_port, ssf_receivers(auth_port))
    ssf.sort()
    ssf_p50, ssf_p99, ssf_worst = ssf[len(ssf) // 2], ssf[int(len(ssf) * 0.99) - 1], ssf[-1]

    # R2-DPoP last, so that signing proofs between runs slows no other warm-up and its proofs' keys
    # (kept 120 s) are not in the growth rounds' database:
    # the bound token's whoami, interleaved with liveness and the bearer whoami for its ratios
    print("== R2-DPoP: a bound token with a fresh proof per request, interleaved with liveness and bearer", flush=True)
    dpop_targets = [t for t in targets if t[0] in ("liveness", "cached")] + [("dpop", whoami_url, dpop)]
    dpop_results = {name: [] for name, _, _ in dpop_targets}
    for r in range(DPOP_WARM + ROUNDS):
        for name, url, script in dpop_targets:
            if name == "dpop":
                fresh_proofs(SECONDS)
            res = wrk(url, SECONDS, script)
            if r >= DPOP_WARM:
                dpop_results[name].append(res)
            print("%s %d %-10s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d"
                  % ("warm" if r < DPOP_WARM else "round", r + 1, name, res["rps"], res["p50"], res["p99"],
                     res["errors"]), flush=True)
    dmed = {n: {"rps": median([x["rps"] for x in v]), "p99": median([x["p99"] for x in v])}
            for n, v in dpop_results.items()}
    r2_dpop = dmed["dpop"]["rps"] / dmed["liveness"]["rps"]
    proof_price = 1 - dmed["dpop"]["rps"] / dmed["cached"]["rps"]
    dpop_errors = sum(x["errors"] for x in dpop_results["dpop"])

    print()
    print("| measure | value | target |")
    print("| --- | --- | --- |")
    print("| trivial endpoint (auth server metadata) | %.0f req/s, p99 %.2f ms | |" % (med["trivial"]["rps"], med["trivial"]["p99"]))
    print("| PAT introspection | %.0f req/s, p99 %.2f ms | |" % (med["introspect"]["rps"], med["introspect"]["p99"]))
    print("| R1 introspection / trivial | %.2f (p99 ratio %.2f) | >= 0.65 (p99 <= 2) |" % (r1, r1p99))
    print("| resource API liveness | %.0f req/s | |" % med["liveness"]["rps"])
    print("| resource API, cached token | %.0f req/s | |" % med["cached"]["rps"])
    print("| R2 cached / liveness | %.2f | >= 0.9 |" % r2)
    print("| resource API, cached DPoP-bound token, a fresh proof each request | %.0f req/s, p99 %.2f ms | |"
          % (dmed["dpop"]["rps"], dmed["dpop"]["p99"]))
    print("| R2-DPoP cached, bound / liveness | %.2f (the proof check costs %.0f %% of cached bearer req/s; "
          "%d refused) | reported |" % (r2_dpop, proof_price * 100, dpop_errors))
    print("| resource API, cache off | %.0f req/s | |" % med["uncached"]["rps"])
    print("| R3 cache off / liveness | %.2f | >= 0.35 |" % r3)
    print("| Redis commands per hot introspection | %.4f (writes %.4f) | < 0.05 (< 0.01) |" % (per_call, writes_per_call))
    print("| Redis memory per token record | %.0f bytes (MEMORY USAGE), %.0f bytes (used_memory delta) | <= 300 |" % (bytes_usage, bytes_delta))
    print("| revocation latency, 1000 revocations | p50 %.1f ms, p99 %.1f ms, max %.1f ms | p99 < 50 ms |" % (p50, p99, worst))
    print("| revocation latency through SSF push, 2 receivers, 1000 revocations (from the revoke request) | "
          "p50 %.1f ms, p99 %.1f ms, max %.1f ms | p99 < 100 ms |" % (ssf_p50, ssf_p99, ssf_worst))
    print("| cost growth 10 / 10k / 1M tokens | %s req/s; spread %.1f %% (p99 %.1f %%) | < 10 %% |" % (
        " / ".join("%.0f" % g["rps"] for g in growth.values()), growth_rps * 100, growth_p99 * 100))
    ok = r1 >= 0.65 and r1p99 <= 2 and r2 >= 0.9 and r3 >= 0.35 and per_call < 0.05 and writes_per_call < 0.01 \
        and bytes_usage <= 300 and p99 < 50 and ssf_p99 < 100 and growth_rps < 0.10 and growth_p99 < 0.10
    print()
    print("SUMMARY %s: R1 %.2f, R2 %.2f, R3 %.2f, R2-DPoP %.2f, %.3f Redis commands/introspection, %.0f B/token, "
          "revocation p99 %.1f ms (SSF push %.1f ms), growth %.1f %% (p99 %.1f %%); %.0f s" % (
              "all targets met" if ok else "some targets missed", r1, r2, r3, r2_dpop, per_call, bytes_usage, p99,
              ssf_p99, growth_rps * 100, growth_p99 * 100, time.monotonic() - started))


def used_memory(redis):
    return int(re.search(r"used_memory:(\d+)", redis.call("INFO", "memory")).group(1))


def load(redis, count, owner, uid, now_ms):
    return [key for key, _ in load_records(redis, count, owner, uid)]


def revocations(redis, uid, auth_port, api_ports, now_ms, count=1000, warm_up=50):
    """The latency of each of count revocations, after warm_up unmeasured ones (the event path's code
    runs for the first time here)."""
    tokens = [token for _, token in load_records(redis, warm_up + count, "admin", uid)]
    apis = [http.client.HTTPConnection("127.0.0.1", p, timeout=10) for p in api_ports]
    auth = http.client.HTTPConnection("127.0.0.1", auth_port, timeout=10)
    client = {"Authorization": basic(*CLIENT), "Content-Type": "application/x-www-form-urlencoded"}
    latencies = []
    for token in tokens:
        bearer = {"Authorization": "Bearer " + token}
        for api in apis:
            status, _ = http_call(None, "GET", "/api/whoami", headers=bearer, conn=api)
            assert status == 200, status
        status, _ = http_call(None, "POST", "/oauth2/revoke", "token=" + token, client, conn=auth)
        assert status == 200, status
        revoked_at = time.perf_counter()
        pending = list(apis)
        while pending:
            pending = [api for api in pending if http_call(None, "GET", "/api/whoami", headers=bearer, conn=api)[0] != 401]
            if time.perf_counter() - revoked_at > 5:
                raise RuntimeError("a revoked token was still accepted after 5 s")
        latencies.append((time.perf_counter() - revoked_at) * 1000)
    return latencies[warm_up:]


# --- Shared Signals ----------------------------------------------------------------------------

def ssf_arguments():
    """The auth server's arguments for the two receivers: registered clients (client_credentials,
    scope ssf.stream), allowed a stream, pushed to on loopback only."""
    args = []
    for client, secret in SSF_CLIENTS:
        registration = "--spring.security.oauth2.authorizationserver.client.%s.registration." % client
        args += [registration + "client-id=" + client, registration + "client-secret={noop}" + secret,
                 registration + "client-authentication-methods=client_secret_basic",
                 registration + "authorization-grant-types=client_credentials", registration + "scopes=ssf.stream"]
    clients = ",".join(client for client, _ in SSF_CLIENTS)
    return args + ["--latchkey.introspection.allowed-clients=resource-api," + clients,
                   "--latchkey.signals.allowed-clients=" + clients,
                   "--latchkey.signals.allowed-push-urls=http://127.0.0.1:*/ssf/events"]


class SetReceiver:
    """An RFC 8935 receiver on loopback: answers 202 to every SET and notes when the SET naming each
    token digest arrived (the signature is the auth server's tests' business, not the bench's)."""

    def __init__(self):
        self.arrived = {}
        self.changed = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                payload = body.split(b".")[1]
                claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
                with receiver.changed:
                    receiver.arrived[claims["sub_id"].get("id")] = time.perf_counter()
                    receiver.changed.notify_all()
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, digest, deadline):
        with self.changed:
            while digest not in self.arrived:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise RuntimeError("a revocation's SET did not arrive within 5 s")
                self.changed.wait(left)
            return self.arrived[digest]


def ssf_receivers(auth_port):
    """A receiver per client, each with a push stream of credential-change events."""
    receivers = []
    for client, secret in SSF_CLIENTS:
        receiver = SetReceiver()
        status, body = http_call(auth_port, "POST", "/oauth2/token", "grant_type=client_credentials&scope=ssf.stream",
                                 {"Authorization": basic(client, secret),
                                  "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200, body
        stream = {"delivery": {"method": "urn:ietf:rfc:8935",
                               "endpoint_url": "http://127.0.0.1:%d/ssf/events" % receiver.server.server_port},
                  "events_requested": ["https://schemas.openid.net/secevent/caep/event-type/credential-change"]}
        status, body = http_call(auth_port, "POST", "/ssf/stream", json.dumps(stream),
                                 {"Authorization": "Bearer " + json.loads(body)["access_token"],
                                  "Content-Type": "application/json"})
        assert status == 201, body
        receivers.append(receiver)
    return receivers


def ssf_revocations(redis, uid, auth_port, receivers, count=1000, warm_up=50):
    """The time from each of count revocation requests until both receivers had its SET pushed, after
    warm_up unmeasured ones."""
    tokens = [token for _, token in load_records(redis, warm_up + count, "admin", uid)]
    auth = http.client.HTTPConnection("127.0.0.1", auth_port, timeout=10)
    client = {"Authorization": basic(*CLIENT), "Content-Type": "application/x-www-form-urlencoded"}
    latencies = []
    for token in tokens:
        digest = hashlib.sha256(token.encode()).hexdigest()
        asked_at = time.perf_counter()
        status, _ = http_call(None, "POST", "/oauth2/revoke", "token=" + token, client, conn=auth)
        assert status == 200, status
        arrived = max(receiver.wait_for(digest, asked_at + 5) for receiver in receivers)
        latencies.append((arrived - asked_at) * 1000)
    for receiver in receivers:
        receiver.server.shutdown()
    return latencies[warm_up:]


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_all()

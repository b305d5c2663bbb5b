"""redis-py driver (Debian python3-redis 4.3.4): standalone, Sentinel or cluster, from contract.env only.

Same protocol as contract.cjs: `check` or `failover <tag> <stop-file>`, one JSON line on stdout.
"""
import json
import os
import re
import sys
import time

import redis
import redis.cluster
import redis.sentinel


def read_contract(path):
    c = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", line.rstrip("\r\n"))
            if m:
                c[m.group(1)] = m.group(2)
    return c


def from_source(source):
    if source in ("none", ""):
        return None
    if not source.startswith("file:"):
        raise ValueError("cannot read %s: only file: sources are local" % source)
    with open(source[len("file:"):], encoding="utf-8") as f:
        return f.read().rstrip("\r\n")


def host_port(s):
    host, _, port = s.rpartition(":")
    return host, int(port)


def settings(path):
    c = read_contract(path)
    tls = c["REDIS_TLS_ENABLED"] == "true"
    ca_from = c["REDIS_TLS_CA_FROM"]
    return {
        "host": c["REDIS_HOST"],
        "port": int(c["REDIS_PORT"]),
        "tls": tls,
        "verify": c["REDIS_TLS_VERIFY"] == "true",
        # A CA file path, or None for the system store (ca_from "system").
        "ca": ca_from[len("file:"):] if tls and ca_from.startswith("file:") else None,
        "username": c["REDIS_USERNAME"] or None,
        "password": from_source(c["REDIS_PASSWORD_FROM"]),
        "prefix": c["REDIS_KEY_PREFIX"],
        "cluster": c["REDIS_CLUSTER_ENABLED"] == "true",
        "nodes": [host_port(n) for n in c["REDIS_CLUSTER_NODES"].split(",") if n],
        "sentinel": c["REDIS_SENTINEL_ENABLED"] == "true",
        "sentinels": [host_port(n) for n in c["REDIS_SENTINELS"].split(",") if n],
        "master": c["REDIS_SENTINEL_MASTER"],
        "sentinel_username": c["REDIS_SENTINEL_USERNAME"] or None,
        "sentinel_password": from_source(c["REDIS_SENTINEL_PASSWORD_FROM"]),
        "sentinel_tls": c["REDIS_SENTINEL_TLS"] == "true",
        "connect_timeout": int(c["REDIS_CONNECT_TIMEOUT_MS"]) / 1000,
        "command_timeout": int(c["REDIS_COMMAND_TIMEOUT_MS"]) / 1000,
        "retry_min": int(c["REDIS_RETRY_MIN_DELAY_MS"]) / 1000,
        "retry_max": int(c["REDIS_RETRY_MAX_DELAY_MS"]) / 1000,
    }


def tls_kwargs(s, on):
    if not on:
        return {}
    kw = {"ssl": True, "ssl_cert_reqs": "required" if s["verify"] else "none"}
    if s["ca"]:
        kw["ssl_ca_certs"] = s["ca"]
    return kw


def common(s):
    return {
        "username": s["username"],
        "password": s["password"],
        "socket_connect_timeout": s["connect_timeout"],
        "socket_timeout": s["command_timeout"],
        **tls_kwargs(s, s["tls"]),
    }


def connect(s):
    if s["cluster"]:
        nodes = [redis.cluster.ClusterNode(h, p) for h, p in s["nodes"]]
        return redis.cluster.RedisCluster(startup_nodes=nodes, **common(s))
    if s["sentinel"]:
        sentinel_kw = {
            "username": s["sentinel_username"],
            "password": s["sentinel_password"],
            "socket_connect_timeout": s["connect_timeout"],
            "socket_timeout": s["command_timeout"],
            **tls_kwargs(s, s["sentinel_tls"]),
        }
        sentinel = redis.sentinel.Sentinel(s["sentinels"], sentinel_kwargs=sentinel_kw, **common(s))
        return sentinel.master_for(s["master"])
    return redis.Redis(host=s["host"], port=s["port"], **common(s))


def attempt(fn):
    try:
        v = fn()
        if v is True:
            v = "OK"  # redis-py answers SET's +OK with True
        return {"ok": True, "value": v.decode() if isinstance(v, bytes) else str(v)}
    except Exception as e:  # noqa: BLE001 - every refusal is an outcome to report
        # redis-py drops the server's error code (NOPERM, NOAUTH) and keeps it in the exception class.
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, (str(e) or "").splitlines()[0] if str(e) else "")}


def set_and_wait(s, c, key, value, replicas):
    if s["cluster"]:
        c.set(key, value)
        node = c.get_node_from_key(key)
        return int(c.execute_command("WAIT", replicas, 1000, target_nodes=node))
    # One connection for both: WAIT counts the replicas that have this connection's writes.
    pipe = c.pipeline(transaction=False)
    pipe.set(key, value)
    pipe.execute_command("WAIT", replicas, 1000)
    return int(pipe.execute()[1])


def check(s, refusals):
    key = s["prefix"] + "matrix:redis-py"
    out = {}
    c = connect(s)
    out["set"] = attempt(lambda: c.set(key, "v-redis-py"))
    out["get"] = attempt(lambda: c.get(key))
    out["outside"] = attempt(lambda: c.set("outside:redis-py", "x"))
    c.close()
    if not refusals:
        return out
    single = dict(s, cluster=False, sentinel=False)
    out["noPassword"] = attempt(lambda: connect(dict(single, username=None, password=None)).set(key, "x"))
    out["plaintext"] = attempt(lambda: connect(dict(single, tls=False)).set(key, "x"))
    out["wrongCa"] = attempt(lambda: connect(dict(single, ca=None)).set(key, "x"))
    return out


def reconnect(s, old):
    try:
        old.close()
    except Exception:  # noqa: BLE001 - the old client may be half broken
        pass
    try:
        return connect(s)
    except Exception:  # noqa: BLE001 - no node answered yet: the next write retries
        return old


def failover(s, tag, stop_file, replicas):
    c = connect(s)
    writes, acked, failures, i = [], [], 0, 0
    while not os.path.exists(stop_file):
        i += 1
        key = "%s{%s}:redis-py:%d" % (s["prefix"], tag, i)
        t = int(time.time() * 1000)
        try:
            n = set_and_wait(s, c, key, str(i), replicas)
            done = int(time.time() * 1000)
            writes.append([i, t, done, "ack" if n >= replicas else "noack"])
            print("OK %d" % done, file=sys.stderr, flush=True)
            if n >= replicas:
                acked.append(key)
                if len(acked) == 1:
                    print("READY", file=sys.stderr, flush=True)
            failures = 0
            time.sleep(0.05)
        except Exception as e:  # noqa: BLE001
            writes.append([i, t, int(time.time() * 1000), "err:" + (str(e) or type(e).__name__).splitlines()[0]])
            failures += 1
            if s["cluster"]:
                # redis-py 4.3.4 cannot re-read the slot map after a node is lost ("cannot pickle
                # '_thread.lock' object": NodesManager.initialize deep-copies its connection kwargs,
                # redis/redis-py#2480): start a new client from the contract's nodes instead.
                c = reconnect(s, c)
            time.sleep(min(s["retry_min"] * 2 ** (failures - 1), s["retry_max"]))
    if s["cluster"]:
        c = reconnect(s, c)
    lost = []
    for key in acked:
        v = attempt(lambda: c.get(key))
        if not v["ok"] or v["value"] != key.rsplit(":", 1)[1]:
            lost.append([key, v.get("error", v.get("value"))])
    return {"writes": writes, "lost": lost}


def main():
    path, mode = sys.argv[1], sys.argv[2]
    s = settings(path)
    out = check(s, mode == "check") if mode.startswith("check") else failover(s, sys.argv[3], sys.argv[4], int(sys.argv[5]))
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()

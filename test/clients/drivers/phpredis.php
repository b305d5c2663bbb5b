<?php
/**
 * phpredis driver (Debian php-redis 5.3): standalone, Sentinel or cluster, from contract.env only.
 * Same protocol as contract.cjs: `check` or `failover <tag> <stop-file>`, one JSON line on stdout.
 */

function read_contract(string $path): array
{
    $c = [];
    foreach (file($path, FILE_IGNORE_NEW_LINES) as $line) {
        if (preg_match('/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/', $line, $m)) {
            $c[$m[1]] = $m[2];
        }
    }
    return $c;
}

function from_source(string $source): ?string
{
    if ($source === 'none' || $source === '') {
        return null;
    }
    if (strpos($source, 'file:') !== 0) {
        throw new RuntimeException("cannot read $source: only file: sources are local");
    }
    return rtrim(file_get_contents(substr($source, 5)), "\r\n");
}

function host_port(string $s): array
{
    $at = strrpos($s, ':');
    return [substr($s, 0, $at), (int) substr($s, $at + 1)];
}

function settings(string $path): array
{
    $c = read_contract($path);
    $tls = $c['REDIS_TLS_ENABLED'] === 'true';
    $caFrom = $c['REDIS_TLS_CA_FROM'];
    $list = fn (string $k) => array_map('host_port', array_values(array_filter(explode(',', $c[$k]))));
    return [
        'host' => $c['REDIS_HOST'],
        'port' => (int) $c['REDIS_PORT'],
        'tls' => $tls,
        'verify' => $c['REDIS_TLS_VERIFY'] === 'true',
        'ca' => $tls && strpos($caFrom, 'file:') === 0 ? substr($caFrom, 5) : null,
        'username' => $c['REDIS_USERNAME'] !== '' ? $c['REDIS_USERNAME'] : null,
        'password' => from_source($c['REDIS_PASSWORD_FROM']),
        'prefix' => $c['REDIS_KEY_PREFIX'],
        'cluster' => $c['REDIS_CLUSTER_ENABLED'] === 'true',
        'nodes' => $list('REDIS_CLUSTER_NODES'),
        'sentinel' => $c['REDIS_SENTINEL_ENABLED'] === 'true',
        'sentinels' => $list('REDIS_SENTINELS'),
        'master' => $c['REDIS_SENTINEL_MASTER'],
        'sentinel_username' => $c['REDIS_SENTINEL_USERNAME'] !== '' ? $c['REDIS_SENTINEL_USERNAME'] : null,
        'sentinel_password' => from_source($c['REDIS_SENTINEL_PASSWORD_FROM']),
        'sentinel_tls' => $c['REDIS_SENTINEL_TLS'] === 'true',
        'connect_timeout' => (int) $c['REDIS_CONNECT_TIMEOUT_MS'] / 1000,
        'command_timeout' => (int) $c['REDIS_COMMAND_TIMEOUT_MS'] / 1000,
        'retry_min' => (int) $c['REDIS_RETRY_MIN_DELAY_MS'],
        'retry_max' => (int) $c['REDIS_RETRY_MAX_DELAY_MS'],
    ];
}

/** Stream context for TLS: verify against the contract's CA (or the system store when it says so). */
function ssl_context(array $s): array
{
    $ctx = ['verify_peer' => $s['verify'], 'verify_peer_name' => $s['verify']];
    if ($s['ca'] !== null) {
        $ctx['cafile'] = $s['ca'];
    }
    return $ctx;
}

function auth_of(?string $user, ?string $password)
{
    if ($password === null) {
        return null;
    }
    return $user !== null ? [$user, $password] : $password;
}

/** A Redis connection to one host:port (TLS per $tls), authenticated when the contract says so. */
function connect_one(array $s, string $host, int $port, bool $tls): Redis
{
    $r = new Redis();
    $scheme = $tls ? 'tls://' : '';
    error_clear_last();
    try {
        // The TLS failure itself (certificate verify failed, ...) is a PHP warning: keep it for the error.
        $ok = @$r->connect($scheme . $host, $port, $s['connect_timeout'], null, 0, $s['command_timeout'],
            $tls ? ['stream' => ssl_context($s)] : []);
    } catch (RedisException $e) {
        $ok = false;
    }
    if (!$ok) {
        $why = error_get_last()['message'] ?? (isset($e) ? $e->getMessage() : 'refused');
        throw new RuntimeException("cannot connect to $host:$port: $why");
    }
    $auth = auth_of($s['username'], $s['password']);
    if ($auth !== null && !$r->auth($auth)) {
        throw new RuntimeException('AUTH refused: ' . ($r->getLastError() ?? ''));
    }
    return $r;
}

/** Asks the Sentinels (in order) for the primary; phpredis' RedisSentinel has no TLS context in 5.3. */
function sentinel_primary(array $s): array
{
    $errors = [];
    foreach ($s['sentinels'] as [$host, $port]) {
        try {
            $q = connect_one(array_merge($s, [
                'username' => $s['sentinel_username'],
                'password' => $s['sentinel_password'],
            ]), $host, $port, $s['sentinel_tls']);
            $addr = $q->rawCommand('SENTINEL', 'get-master-addr-by-name', $s['master']);
            $q->close();
            if (is_array($addr)) {
                return [$addr[0], (int) $addr[1]];
            }
        } catch (Throwable $e) {
            $errors[] = "$host:$port " . $e->getMessage();
        }
    }
    throw new RuntimeException('no Sentinel answered: ' . implode('; ', $errors));
}

function connect(array $s)
{
    if ($s['cluster']) {
        $seeds = array_map(fn ($n) => ($s['tls'] ? 'tls://' : '') . $n[0] . ':' . $n[1], $s['nodes']);
        return new RedisCluster(null, $seeds, $s['connect_timeout'], $s['command_timeout'], false,
            auth_of($s['username'], $s['password']), $s['tls'] ? ssl_context($s) : null);
    }
    if ($s['sentinel']) {
        [$host, $port] = sentinel_primary($s);
        return connect_one($s, $host, $port, $s['tls']);
    }
    return connect_one($s, $s['host'], $s['port'], $s['tls']);
}

function attempt(callable $fn): array
{
    try {
        $v = $fn();
        if ($v === false) {
            return ['ok' => false, 'error' => 'false'];
        }
        return ['ok' => true, 'value' => is_bool($v) ? ($v ? 'OK' : 'false') : (string) $v];
    } catch (Throwable $e) {
        return ['ok' => false, 'error' => strtok($e->getMessage() ?: get_class($e), "\n")];
    }
}

/** SET that throws on a refusal (phpredis returns false and keeps the error). */
function set_or_throw($c, string $key, string $value): string
{
    if ($c->set($key, $value) !== true) {
        throw new RuntimeException($c->getLastError() ?? 'SET failed');
    }
    return 'OK';
}

function set_and_wait(array $s, $c, string $key, string $value, int $replicas): int
{
    set_or_throw($c, $key, $value);
    // RedisCluster::rawCommand routes by its first argument (the key), so WAIT runs on the key's node.
    return (int) ($s['cluster']
        ? $c->rawCommand($key, 'WAIT', $replicas, 1000)
        : $c->rawCommand('WAIT', $replicas, 1000));
}

function check(array $s, bool $refusals): array
{
    $key = $s['prefix'] . 'matrix:phpredis';
    $out = [];
    $c = connect($s);
    $out['set'] = attempt(fn () => set_or_throw($c, $key, 'v-phpredis'));
    $out['get'] = attempt(fn () => $c->get($key));
    $out['outside'] = attempt(fn () => set_or_throw($c, 'outside:phpredis', 'x'));
    $c->close();
    if (!$refusals) {
        return $out;
    }
    $single = array_merge($s, ['cluster' => false, 'sentinel' => false]);
    $try = fn (array $t) => attempt(fn () => set_or_throw(connect($t), $key, 'x'));
    $out['noPassword'] = $try(array_merge($single, ['username' => null, 'password' => null]));
    $out['plaintext'] = $try(array_merge($single, ['tls' => false]));
    $out['wrongCa'] = $try(array_merge($single, ['ca' => null]));
    return $out;
}

function failover(array $s, string $tag, string $stopFile, int $replicas): array
{
    $c = null;
    $writes = [];
    $acked = [];
    $failures = 0;
    for ($i = 1; !file_exists($stopFile); $i++) {
        $key = $s['prefix'] . '{' . $tag . '}:phpredis:' . $i;
        $t = (int) (microtime(true) * 1000);
        try {
            // phpredis does not reconnect to a new primary by itself: reconnect after an error.
            $c = $c ?? connect($s);
            $n = set_and_wait($s, $c, $key, (string) $i, $replicas);
            $done = (int) (microtime(true) * 1000);
            $writes[] = [$i, $t, $done, $n >= $replicas ? 'ack' : 'noack'];
            fwrite(STDERR, "OK $done\n");
            if ($n >= $replicas) {
                $acked[] = $key;
                if (count($acked) === 1) {
                    fwrite(STDERR, "READY\n");
                }
            }
            $failures = 0;
            usleep(50000);
        } catch (Throwable $e) {
            $writes[] = [$i, $t, (int) (microtime(true) * 1000), 'err:' . strtok($e->getMessage() ?: get_class($e), "\n")];
            $c = null;
            clearstatcache();
            $failures++;
            usleep(1000 * min($s['retry_min'] * 2 ** ($failures - 1), $s['retry_max']));
        }
    }
    $c = $c ?? connect($s);
    $lost = [];
    foreach ($acked as $key) {
        $v = attempt(fn () => $c->get($key));
        if (!$v['ok'] || $v['value'] !== substr($key, strrpos($key, ':') + 1)) {
            $lost[] = [$key, $v['error'] ?? $v['value']];
        }
    }
    return ['writes' => $writes, 'lost' => $lost];
}

$s = settings($argv[1]);
$out = strpos($argv[2], 'check') === 0 ? check($s, $argv[2] === 'check') : failover($s, $argv[3], $argv[4], (int) $argv[5]);
echo json_encode($out), "\n";

/**
 * The self-hosted adapter: renders redis.conf per node, users.acl and secrets.conf templates,
 * sentinel.conf templates, install/start/stop (and create-cluster) scripts, README.md and
 * layout.json into `<outDir>` (dist/<id>/self-hosted/). No secret is ever written here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connectionContract, type ConnectionContract } from '../contract';
import type { Deployment } from '../deployment';
import { aclRules } from '../redisconf';
import {
  aclPurposes,
  disabledCommands,
  redisConf,
  secretRoles,
  secretsConfTemplate,
  sentinelConfTemplate,
  usersAclTemplate,
} from './conf';
import { type Layout, layoutFor, type SelfHostedOptions } from './layout';
import { systemdUnits } from './systemd';
import { dailyParts } from '../policy/windows';
import {
  backupRoot,
  backupScript,
  createClusterScript,
  installScript,
  restoreScript,
  startScript,
  stopScript,
} from './scripts';

export type { SelfHostedOptions } from './layout';

export interface RenderedFile {
  name: string;
  content: string;
  executable?: boolean;
}

/** Everything the adapter writes, in memory (for tests and the conformance checks). */
export function buildSelfHosted(
  deployment: Deployment,
  options: SelfHostedOptions = {},
): { layout: Layout; files: RenderedFile[] } {
  const layout = layoutFor(deployment, options);
  const sec = deployment.policy.security;
  const files: RenderedFile[] = layout.nodes.map((n) => ({
    name: n.conf,
    content: redisConf(deployment, layout, n),
  }));
  files.push({ name: 'secrets.conf.template', content: secretsConfTemplate(deployment, layout) });
  if (sec.auth && sec.acl) files.push({ name: 'users.acl.template', content: usersAclTemplate(deployment) });
  for (const s of layout.sentinels) {
    files.push({ name: s.template, content: sentinelConfTemplate(deployment, layout, s) });
  }
  files.push(
    { name: 'install.sh', content: installScript(deployment, layout), executable: true },
    { name: 'start.sh', content: startScript(deployment, layout), executable: true },
    { name: 'stop.sh', content: stopScript(deployment, layout), executable: true },
  );
  files.push(...systemdUnits(deployment, layout));
  if (deployment.policy.persistence.snapshotRetentionDays > 0) {
    files.push(
      { name: 'backup.sh', content: backupScript(deployment, layout), executable: true },
      { name: 'restore.sh', content: restoreScript(deployment, layout), executable: true },
    );
  }
  if (layout.mode === 'cluster') {
    files.push({
      name: 'create-cluster.sh',
      content: createClusterScript(deployment, layout),
      executable: true,
    });
  }
  const contract = Object.entries(selfHostedContract(deployment, layout)).map(([k, v]) => `${k}=${v}`);
  files.push({
    name: 'contract.env',
    content: [
      '# Connection contract for applications. No secret: REDIS_PASSWORD_FROM names the file to read.',
      ...contract,
      '',
    ].join('\n'),
  });
  files.push({
    name: 'layout.json',
    content: JSON.stringify(layoutJson(deployment, layout), null, 2) + '\n',
  });
  files.push({ name: 'README.md', content: readme(deployment, layout) });
  return { layout, files };
}

/** Writes the files into outDir (created if needed) and returns their paths. */
export function renderSelfHosted(
  deployment: Deployment,
  outDir: string,
  options: SelfHostedOptions = {},
): string[] {
  const { files } = buildSelfHosted(deployment, options);
  fs.mkdirSync(outDir, { recursive: true });
  return files.map((f) => {
    const p = path.join(outDir, f.name);
    fs.writeFileSync(p, f.content, { mode: f.executable ? 0o755 : 0o644 });
    if (f.executable) fs.chmodSync(p, 0o755);
    return p;
  });
}

/**
 * The REDIS_* variables for this layout. The password is read from the app secret file at the
 * documented default secrets path (the operator's secret manager may publish it elsewhere).
 */
export function selfHostedContract(d: Deployment, layout: Layout): ConnectionContract {
  const sec = d.policy.security;
  const first = layout.nodes[0];
  const role = sec.acl ? 'app' : 'default';
  return connectionContract(d.policy, d.plan, {
    host: layout.host,
    port: first.port,
    clusterNodes: layout.mode === 'cluster' ? layout.nodes.map((n) => `${layout.host}:${n.port}`) : undefined,
    passwordFrom: `file:/etc/redis-iac/${d.id}/secrets/${role}.password`,
    username: sec.auth && sec.acl ? aclRules(d.policy).app.name : undefined,
    sentinels: layout.sentinels.length ? layout.sentinels.map((s) => `${layout.host}:${s.port}`) : undefined,
    sentinelMaster: layout.sentinels.length ? layout.masterName : undefined,
    caFrom: `file:${layout.tlsDir}/ca.crt`,
  });
}

function layoutJson(d: Deployment, layout: Layout) {
  const users = aclRules(d.policy);
  return {
    deployment: d.id,
    mode: layout.mode,
    host: layout.host,
    tls: d.policy.security.tls,
    confDir: layout.confDir,
    tlsDir: layout.tlsDir,
    dataDir: layout.dataDir,
    nodes: layout.nodes,
    sentinels: layout.sentinels,
    masterName: layout.sentinels.length ? layout.masterName : undefined,
    quorum: layout.sentinels.length ? layout.quorum : undefined,
    clusterNodeTimeoutMs: layout.mode === 'cluster' ? layout.clusterNodeTimeoutMs : undefined,
    sentinelDownAfterMs: layout.sentinels.length ? layout.sentinelDownAfterMs : undefined,
    secretRoles: secretRoles(d),
    users:
      d.policy.security.acl && d.policy.security.auth
        ? Object.fromEntries(Object.entries(users).map(([k, u]) => [k, u.name]))
        : {},
    disabledCommands: disabledCommands(d),
    renamedCommands: d.policy.security.renamedCommands,
  };
}

/** README section: the daily backup job in the policy's snapshot window, its retention, and the restore. */
function backupSection(d: Deployment, layout: Layout): string[] {
  const per = d.policy.persistence;
  if (per.snapshotRetentionDays <= 0) {
    return ['## Backups', '', 'None: `persistence.snapshotRetentionDays` is 0 for this profile.', ''];
  }
  const w = dailyParts(per.snapshotWindow);
  const secrets = `/etc/redis-iac/${d.id}/secrets`;
  return [
    '## Backups',
    '',
    `Daily, in the snapshot window ${per.snapshotWindow} UTC, keeping ${per.snapshotRetentionDays} days. As root, in /etc/cron.d/redis-iac-${d.id}`,
    '(the hour assumes the host clock runs on UTC; convert it otherwise):',
    '',
    '```',
    `${w.startMinute} ${w.startHour} * * * root ${'<this directory>'}/backup.sh ${secrets} ${backupRoot(layout)}`,
    '```',
    '',
    `backup.sh runs BGSAVE on every node that is a primary now${layout.mode === 'cluster' ? ' (one per shard, with its cluster node ID)' : ''}, waits for it, copies`,
    `\`dump.rdb\` to \`${backupRoot(layout)}/<UTC stamp>/<port>.rdb\` with a SHA256SUMS file, and deletes backups older than the retention.`,
    'Copy that directory off the host as well: a backup on the same disk does not survive the disk.',
    '',
    '```sh',
    `sudo ./restore.sh ${secrets} ${backupRoot(layout)}/<UTC stamp>`,
    '```',
    '',
    'restore.sh checks the checksums, stops every node, moves the current data aside (`<data dir>/<port>/pre-restore-<stamp>/`),',
    per.aof
      ? 'loads each RDB into its primary with AOF off, then switches AOF on so the restored data becomes the new AOF base (with AOF on, Redis ignores `dump.rdb` and would start empty), and starts everything.'
      : 'loads each RDB into its primary and starts everything.',
    layout.mode === 'cluster'
      ? 'Each RDB goes back to the node with the same cluster node ID, which must still be a primary (fail back with `CLUSTER FAILOVER` first).'
      : 'The backup goes into the rendered primary; install.sh resets the Sentinel configs, replicas resync from it.',
    '',
  ];
}

function readme(d: Deployment, layout: Layout): string {
  const sec = d.policy.security;
  const users = aclRules(d.policy);
  const ports = layout.nodes.map((n) => n.port);
  const cli = sec.tls ? `redis-cli --tls --cacert ${layout.tlsDir}/ca.crt` : 'redis-cli';
  const auth = sec.auth ? (sec.acl ? ` --user ${users.admin.name} --askpass` : ' --askpass') : '';
  const out: Array<string | null> = [
    `# Self-hosted Redis for ${d.id}`,
    '',
    `Mode **${layout.mode}**: ${layout.nodes.length} node(s) on ${layout.host}, ports ${ports.join(', ')}` +
      (layout.sentinels.length
        ? `; ${layout.sentinels.length} Sentinels on ${layout.sentinels.map((s) => s.port).join(', ')} (quorum ${layout.quorum}, master name \`${layout.masterName}\`)`
        : '') +
      '.',
    `maxmemory ${d.plan.memory.maxmemoryBytesPerShard} bytes per node, maxclients ${d.plan.connections.maxclients}, ` +
      `AOF ${d.policy.persistence.aof ? d.policy.persistence.aofFsync : 'off'}, TLS ${sec.tls ? `on (>= ${sec.tlsMinVersion}, plaintext port 0)` : 'off'}.`,
    hostSizing(d, layout),
    '',
    'Generated by `npm run synth`; see docs/self-hosted.md for the full procedure. No file here contains a secret.',
    '',
    '## 1. Certificates',
    '',
    `Put \`ca.crt\`, \`redis.crt\` and \`redis.key\` in \`${layout.tlsDir}\` (readable by the redis user only).`,
    `The certificate needs \`${layout.host}\` in its subjectAltName and both serverAuth and clientAuth usages`,
    '(nodes and Sentinels present it when they connect to each other).',
    '',
    '## 2. Secrets and install',
    '',
    '```sh',
    `sudo ./install.sh /etc/redis-iac/${d.id}/secrets   # reads <role>.password files; generates missing ones`,
    '```',
    '',
    sec.auth
      ? `Secret files (one password per file, at least ${sec.authTokenLength} characters): ${secretRoles(d)
          .map((r) => `\`${r}.password\``)
          .join(', ')}, plus \`config-command\` (the secret name CONFIG is renamed to).`
      : 'Authentication is off for this profile; only `config-command` is read.',
    `install.sh writes ${layout.confDir}/{redis-<port>.conf,secrets.conf${sec.acl && sec.auth ? ',users.acl' : ''}${layout.sentinels.length ? ',sentinel-<port>.conf' : ''}} with mode 600.`,
    sec.acl && sec.auth
      ? 'users.acl holds only SHA-256 hashes (`#<hex>`); secrets.conf and the Sentinel configs hold the replication/Sentinel passwords because Redis must send them.'
      : null,
    '',
    '## 3. Start',
    '',
    '```sh',
    './start.sh            # starts every node (and Sentinel), waits until each answers',
    layout.mode === 'cluster'
      ? `./create-cluster.sh /etc/redis-iac/${d.id}/secrets   # once: redis-cli --cluster create, ${layout.replicasPerShard} replica(s) per primary`
      : null,
    './stop.sh             # SIGTERM by pid (SHUTDOWN is disabled)',
    `${cli} -h ${layout.host} -p ${ports[0]}${auth} ping`,
    '```',
    '',
    `Under systemd instead: copy ${systemdUnits(d, layout)
      .map((u) => `\`${u.name}\``)
      .join(' and ')} to /etc/systemd/system/, \`systemctl daemon-reload\`, then`,
    `\`systemctl enable --now ${systemdUnits(d, layout)[0].name.replace('@.service', '@')}<port>\` for each port (User= must own ${layout.confDir}).`,
    '',
    ...backupSection(d, layout),
    '## Users',
    '',
    ...(sec.auth && sec.acl
      ? aclPurposes(users).map((l) => `- ${l.replace(/^# /, '')}`)
      : ['- ACL users are off: one shared password (`default.password`).']),
    '',
    '## Disabled and renamed commands',
    '',
    `Disabled: ${disabledCommands(d).join(', ') || 'none'}. Renamed to the secret name in \`config-command\`: ${sec.renamedCommands.join(', ') || 'none'}.`,
    // The exporter must not learn the CONFIG name: CONFIG GET masterauth hands out the replication password.
    'Run redis_exporter as the metrics user with `--config-command=-`: that user may not run CONFIG, and the exporter is never given its secret name.',
    '',
    '## Limits of this layout',
    '',
    `All nodes share one host (\`targets.selfHosted.host\`), as in the guides' 7000-7005 example: that protects against`,
    'process failure, not host failure. For host-level redundancy run each node on its own host and change `bind`,',
    '`replicaof` and the Sentinel `monitor` address accordingly.',
    '',
  ];
  return out.filter((l): l is string => l !== null).join('\n');
}

/**
 * What a host must have: the plan's memory need per node (maxmemory plus the reserve for fork
 * copy-on-write and buffers) and its disk rule (RDB, AOF and a rewrite in flight), times the nodes
 * this layout puts on one host.
 */
function hostSizing(d: Deployment, layout: Layout): string {
  const perNodeGb = d.plan.memory.neededBytes / d.plan.topology.shards / 1e9;
  const diskGi = d.plan.kubernetes.storageGi;
  const n = layout.nodes.length;
  return (
    `Host sizing: each node needs ${perNodeGb.toFixed(2)} GB of RAM (maxmemory plus the plan's reserve for fork copy-on-write and buffers) ` +
    `and ${diskGi} GiB of disk for RDB, AOF and a rewrite in flight; the ${n} node(s) laid out on ${layout.host} need ${(perNodeGb * n).toFixed(2)} GB and ${diskGi * n} GiB there. ` +
    'In production give each node its own host: a host that fails takes every node on it.'
  );
}

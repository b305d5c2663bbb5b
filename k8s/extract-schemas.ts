/**
 * Copies the openAPIV3Schema of every custom resource version the charts emit, and the Bitnami
 * values schema, into lib/k8s/schemas/ so validation works without ../shared. Run it again when a
 * CRD is updated:
 *
 *   npx tsx k8s/extract-schemas.ts /work/shared <external-secrets CRD file>
 *
 * The schema data is copied as-is (no field is removed); strictness for unknown fields is added
 * at validation time in lib/k8s/validate.ts, not here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

interface CrdVersion {
  name: string;
  schema?: { openAPIV3Schema?: unknown };
}
interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

const OUT = path.join(__dirname, '..', 'lib', 'k8s', 'schemas');

function extract(crdFile: string, version: string, outName: string): void {
  const docs = parseAllDocuments(fs.readFileSync(crdFile, 'utf8')).map((d) => d.toJS() as Crd);
  const crd = docs.find((d) => d?.kind === 'CustomResourceDefinition');
  if (!crd) throw new Error(`${crdFile}: no CustomResourceDefinition`);
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v?.schema?.openAPIV3Schema) throw new Error(`${crdFile}: version ${version} has no openAPIV3Schema`);
  const doc = {
    group: crd.spec.group,
    version,
    kind: crd.spec.names.kind,
    source: path.basename(crdFile),
    openAPIV3Schema: v.schema.openAPIV3Schema,
  };
  fs.writeFileSync(path.join(OUT, outName), JSON.stringify(doc) + '\n');
  console.log(`${outName}: ${crd.spec.names.kind} ${crd.spec.group}/${version}`);
}

function main(): void {
  const [shared, externalSecretsCrd] = process.argv.slice(2);
  if (!shared || !externalSecretsCrd) {
    throw new Error(
      'usage: tsx k8s/extract-schemas.ts <shared dir> <external-secrets.io_externalsecrets.yaml>',
    );
  }
  const crds = path.join(shared, 'crds');
  extract(
    path.join(crds, 'opstree/redis.redis.opstreelabs.in_redisclusters.yaml'),
    'v1beta2',
    'rediscluster.v1beta2.json',
  );
  extract(path.join(crds, 'cert-manager/cert-manager.io_certificates.yaml'), 'v1', 'certificate.v1.json');
  extract(path.join(crds, 'cert-manager/cert-manager.io_issuers.yaml'), 'v1', 'issuer.v1.json');
  extract(
    path.join(crds, 'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml'),
    'v1',
    'servicemonitor.v1.json',
  );
  extract(
    path.join(crds, 'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml'),
    'v1',
    'prometheusrule.v1.json',
  );
  extract(externalSecretsCrd, 'v1', 'externalsecret.v1.json');
  const values = JSON.parse(
    fs.readFileSync(path.join(shared, 'reference/bitnami-redis/values.schema.json'), 'utf8'),
  );
  fs.writeFileSync(path.join(OUT, 'bitnami-redis.values.schema.json'), JSON.stringify(values) + '\n');
  console.log('bitnami-redis.values.schema.json: bitnami/redis 23.1.1 values schema');
  // The values schema does not list every key (image.tag, auth.acl.userSecret, ...); the chart's
  // default values.yaml does, so it is kept too and used to reject misspelt keys.
  fs.copyFileSync(
    path.join(shared, 'reference/bitnami-redis/values.yaml'),
    path.join(OUT, 'bitnami-redis.values.yaml'),
  );
  console.log('bitnami-redis.values.yaml: bitnami/redis 23.1.1 default values');
}

main();

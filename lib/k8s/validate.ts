/**
 * Validators for everything the Kubernetes charts write.
 *
 * - Core objects (v1, apps/v1, batch/v1, networking.k8s.io/v1, policy/v1, rbac): the
 *   kubernetes-models class for the object's apiVersion/kind, `.validate()`.
 * - Custom resources: ajv against the CRD's openAPIV3Schema copied into ./schemas, made strict:
 *   every object schema that lists `properties` and does not preserve unknown fields rejects
 *   unknown keys (the API server prunes them silently, which would hide a typo such as `tls:` for
 *   `TLS:`).
 * - Bitnami values: ajv against the chart's values.schema.json.
 *
 * Only what a run needs is loaded: the model class of each kind the charts emit and the validator
 * of each schema they use (generated ahead of time by k8s/compile-validators.ts, see
 * ./compile-schemas.ts). Loading whole apiVersion modules of kubernetes-models (600+ files), ajv's
 * compiler and the chart's values.yaml cost about half a second per synth.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Any manifest object: apiVersion, kind, metadata and the rest. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export class ManifestValidationError extends Error {
  constructor(
    readonly object: string,
    readonly problems: string[],
  ) {
    super(`${object} is invalid: ${problems.join('; ')}`);
    this.name = 'ManifestValidationError';
  }
}

const SCHEMA_DIR = path.join(__dirname, 'schemas');

/** apiVersion/kind -> schema file in ./schemas. */
const CUSTOM_RESOURCE_SCHEMAS: Record<string, string> = {
  'redis.redis.opstreelabs.in/v1beta2/RedisCluster': 'rediscluster.v1beta2.json',
  'cert-manager.io/v1/Certificate': 'certificate.v1.json',
  'cert-manager.io/v1/Issuer': 'issuer.v1.json',
  'monitoring.coreos.com/v1/ServiceMonitor': 'servicemonitor.v1.json',
  'monitoring.coreos.com/v1/PrometheusRule': 'prometheusrule.v1.json',
  'external-secrets.io/v1/ExternalSecret': 'externalsecret.v1.json',
};

/** apiVersions whose kinds are validated with their kubernetes-models class. */
const CORE_API_VERSIONS = new Set([
  'v1',
  'apps/v1',
  'batch/v1',
  'networking.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
]);

type ModelClass = new (data: unknown) => { validate(): void };

export function objectId(o: ManifestObject): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.apiVersion} ${o.kind} ${ns}${o.metadata?.name ?? '(no name)'}`;
}

export function isCustomResource(o: ManifestObject): boolean {
  return `${o.apiVersion}/${o.kind}` in CUSTOM_RESOURCE_SCHEMAS;
}

export function isCoreObject(o: ManifestObject): boolean {
  return coreModel(o) !== undefined;
}

const models = new Map<string, ModelClass | undefined>();

function coreModel(o: ManifestObject): ModelClass | undefined {
  const key = `${o.apiVersion}/${o.kind}`;
  if (!models.has(key)) models.set(key, loadModel(o.apiVersion, o.kind));
  return models.get(key);
}

/** kubernetes-models has one module per kind (`kubernetes-models/apps/v1/StatefulSet`). */
function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  if (!CORE_API_VERSIONS.has(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const id = `kubernetes-models/${apiVersion}/${kind}`;
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(id) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String(e).includes(id)) return undefined;
    throw e;
  }
  // Field types (PodSpec, Affinity) have modules too; only resource kinds carry a static `kind`.
  const cls = mod[kind] as (ModelClass & { kind?: string }) | undefined;
  return typeof cls === 'function' && cls.kind === kind ? cls : undefined;
}

/** Validate a core object with its kubernetes-models class. Throws ManifestValidationError. */
export function validateCoreObject(o: ManifestObject): void {
  const Model = coreModel(o);
  if (!Model)
    throw new ManifestValidationError(objectId(o), ['no kubernetes-models class for this apiVersion/kind']);
  try {
    new Model(o).validate();
  } catch (e) {
    throw new ManifestValidationError(objectId(o), [(e as Error).message.replace(/\s+/g, ' ')]);
  }
}

export const BITNAMI_VALUES_SCHEMA = 'bitnami-redis.values.schema.json';
export const BITNAMI_VALUES_YAML = 'bitnami-redis.values.yaml';

/** The generated validator module of a schema file: `rediscluster.v1beta2.json` -> `...validator.js`. */
export function validatorModule(schemaFile: string): string {
  return path.join(SCHEMA_DIR, schemaFile.replace(/\.json$/, '.validator.js'));
}

/** The chart's default values.yaml as JSON (generated: parsing the YAML took ~70 ms per process). */
export const BITNAMI_DEFAULTS_FILE = path.join(SCHEMA_DIR, 'bitnami-redis.values.defaults.json');

/** Every schema file with a generated validator, and whether unknown fields are rejected. */
export function validatedSchemas(): Array<[file: string, strict: boolean]> {
  const crds = [...new Set(Object.values(CUSTOM_RESOURCE_SCHEMAS))].sort();
  return [...crds.map((f): [string, boolean] => [f, true]), [BITNAMI_VALUES_SCHEMA, false]];
}

const validators = new Map<string, ValidateFunction>();

/** The precompiled validator of a schema file (strict for CRDs, as-is for the Bitnami values). */
function schemaValidator(file: string): ValidateFunction {
  let fn = validators.get(file);
  if (!fn) {
    const mod = validatorModule(file);
    if (!fs.existsSync(mod)) {
      throw new Error(`${file}: no precompiled validator (${mod}); run npx tsx k8s/compile-validators.ts`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    fn = (require(mod) as { validate: ValidateFunction }).validate;
    validators.set(file, fn);
  }
  return fn;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 10).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (unknown field "${(e.params as { additionalProperty: string }).additionalProperty}")`
        : e.keyword === 'enum'
          ? ` (allowed: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
          : '';
    return `${e.instancePath || '/'} ${e.message}${extra}`;
  });
}

/** Validate a custom resource against its CRD schema with unknown fields rejected. */
export function validateCustomResource(o: ManifestObject): void {
  const file = CUSTOM_RESOURCE_SCHEMAS[`${o.apiVersion}/${o.kind}`];
  if (!file)
    throw new ManifestValidationError(objectId(o), ['no CRD schema is known for this apiVersion/kind']);
  const fn = schemaValidator(file);
  if (!fn(o)) throw new ManifestValidationError(objectId(o), describe(fn.errors));
  if (!o.metadata?.name) throw new ManifestValidationError(objectId(o), ['/metadata/name is missing']);
}

/** Validate any object the charts emit: core objects by model class, custom resources by CRD schema. */
export function validateObject(o: ManifestObject): void {
  if (isCustomResource(o)) validateCustomResource(o);
  else validateCoreObject(o);
}

export function validateObjects(objects: ManifestObject[]): void {
  for (const o of objects) validateObject(o);
}

let bitnamiDefaults: unknown;

/** Paths in `values` that the chart's default values.yaml does not know (a misspelt key, usually). */
export function unknownValueKeys(values: unknown, defaults: unknown, at = ''): string[] {
  if (!isMap(values) || !isMap(defaults)) return [];
  // An empty default map is free-form (podLabels: {}, nodeSelector: {}): any key is allowed.
  if (Object.keys(defaults).length === 0) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (!(k in defaults)) out.push(`${at}/${k}`);
    else out.push(...unknownValueKeys(v, defaults[k], `${at}/${k}`));
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Validate Bitnami redis values the way `helm install` does (values.schema.json), and with
 * `strict` (the default) also reject keys that the chart's default values.yaml does not have:
 * Helm silently ignores those, so a misspelt `tls.enable` would deploy without TLS.
 */
export function validateBitnamiValues(values: unknown, strict = true): void {
  const fn = schemaValidator(BITNAMI_VALUES_SCHEMA);
  const problems = fn(values) ? [] : describe(fn.errors);
  if (strict) {
    bitnamiDefaults ??= JSON.parse(fs.readFileSync(BITNAMI_DEFAULTS_FILE, 'utf8')) as unknown;
    problems.push(
      ...unknownValueKeys(values, bitnamiDefaults).map((p) => `${p} is not a key of the chart's values.yaml`),
    );
  }
  if (problems.length) throw new ManifestValidationError('values-redis.yaml', problems);
}

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
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { _ } from 'ajv/dist/compile/codegen';
import standaloneCode from 'ajv/dist/standalone';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { goRegExp } from './go-regexp';

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

// Each kubernetes-models module exports its model classes by kind.
const CORE_MODULES: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
};

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

function coreModel(o: ManifestObject): ModelClass | undefined {
  const mod = CORE_MODULES[o.apiVersion];
  const cls = mod?.[o.kind];
  return typeof cls === 'function' ? (cls as ModelClass) : undefined;
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

/**
 * Mark every object schema that names its properties as closed, unless it preserves unknown
 * fields. Branches of allOf/anyOf/oneOf/not are left alone: in a structural schema they only
 * restate constraints on properties the parent already declares.
 */
export function closeObjectSchemas(node: unknown, inCombinator = false): unknown {
  if (Array.isArray(node)) return node.map((n) => closeObjectSchemas(n, inCombinator));
  if (!node || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, closeObjectSchemas(pv)]));
    } else if (k === 'items' || k === 'additionalProperties') {
      out[k] = closeObjectSchemas(v);
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf' || k === 'not') {
      out[k] = closeObjectSchemas(v, true);
    } else {
      out[k] = v;
    }
  }
  const preserves = src['x-kubernetes-preserve-unknown-fields'] === true;
  if (!inCombinator && src.properties && src.additionalProperties === undefined && !preserves) {
    out.additionalProperties = false;
  }
  return out;
}

/** ajv set up for standalone code: the generated module requires the same regExp and formats. */
function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // strict: false because CRD schemas carry x-kubernetes-* keywords ajv does not know.
    strict: false,
    validateFormats: true,
    code: {
      source: true,
      regExp: Object.assign(goRegExp, { code: 'require("../go-regexp").goRegExp' }),
      formats: _`require("ajv-formats/dist/formats").fullFormats`,
    },
  });
  addFormats(ajv);
  // Formats Kubernetes uses that ajv-formats does not define; the API server checks them loosely too.
  for (const f of ['int-or-string', 'quantity']) ajv.addFormat(f, true);
  return ajv;
}

function loadSchema(file: string, strict: boolean): Record<string, unknown> {
  const doc = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
  let schema = (doc.openAPIV3Schema ?? doc) as Record<string, unknown>;
  delete schema.$schema; // the Bitnami file names draft-04's URL; ajv 8 validates it as draft-07
  if (strict) schema = closeObjectSchemas(schema) as Record<string, unknown>;
  return schema;
}

/** Where the precompiled CRD validators live (generated by k8s/compile-validators.ts). */
export const CRD_VALIDATORS_FILE = path.join(SCHEMA_DIR, 'crd-validators.js');

const BITNAMI_VALUES_SCHEMA = 'bitnami-redis.values.schema.json';

/** Every schema the charts validate against, and whether unknown fields are rejected. */
function precompiledSchemas(): Array<[file: string, strict: boolean]> {
  const crds = [...new Set(Object.values(CUSTOM_RESOURCE_SCHEMAS))].sort();
  return [...crds.map((f): [string, boolean] => [f, true]), [BITNAMI_VALUES_SCHEMA, false]];
}

/** ajv standalone code for every schema (CRDs strict, Bitnami values as the chart has it), keyed by file. */
export function generateCrdValidators(): string {
  const ajv = newAjv();
  const refs: Record<string, string> = {};
  for (const [file, strict] of precompiledSchemas()) {
    ajv.addSchema(loadSchema(file, strict), file);
    refs[file] = file;
  }
  return `/* Generated by k8s/compile-validators.ts from lib/k8s/schemas/*.json: do not edit. */\n${standaloneCode(ajv, refs)}`;
}

let precompiled: Record<string, ValidateFunction> | undefined;

/** The precompiled validator of a schema file (strict for CRDs, as-is for the Bitnami values). */
function schemaValidator(file: string): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  precompiled ??= require(CRD_VALIDATORS_FILE) as Record<string, ValidateFunction>;
  const fn = precompiled[file];
  if (!fn) throw new Error(`${file}: no precompiled validator; run npx tsx k8s/compile-validators.ts`);
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
    bitnamiDefaults ??= parseYaml(
      fs.readFileSync(path.join(SCHEMA_DIR, 'bitnami-redis.values.yaml'), 'utf8'),
    );
    problems.push(
      ...unknownValueKeys(values, bitnamiDefaults).map((p) => `${p} is not a key of the chart's values.yaml`),
    );
  }
  if (problems.length) throw new ManifestValidationError('values-redis.yaml', problems);
}

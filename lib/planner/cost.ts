/**
 * The cost frontier: besides the on-demand price the selection uses, what each platform's choice
 * costs under a 1-year or 3-year commitment (at the best payment option of each term), when the
 * commitment pays for itself, and (AWS) what ElastiCache Serverless would charge for the same workload.
 * Rates come from the catalogs (lib/planner/rates.ts); the serverless workload figures from the named
 * assumptions (SERVERLESS in assumptions.ts).
 */
import { awsServerlessCatalog } from '../catalog/aws-serverless';
import { GB, MEMORY, MONTH_HOURS, SERVERLESS } from './assumptions';
import type { Need } from './need';
import type { CommittedRate, ServerlessPricing } from './rates';
import type {
  CommitmentPayment,
  CommitmentTerm,
  CommittedCost,
  CostFrontier,
  PricingBasis,
  ServerlessCost,
  ServerlessNeed,
} from './types';
import { int, usd } from '../numbers';

export const COMMITMENT_TERMS: CommitmentTerm[] = ['1y', '3y'];
export const TERM_MONTHS: Record<CommitmentTerm, number> = { '1y': 12, '3y': 36 };

const round2 = (n: number) => Math.round(n * 100) / 100;

/** One (term, payment) price of a whole option: every billed unit times its count, region applied. */
export interface OptionCommitment {
  term: CommitmentTerm;
  payment: CommitmentPayment;
  upfrontUsd: number;
  hourlyUsd: number;
  source: string;
  /** 'published' when every rate is the provider's own figure; 'derived' when any is estimated (see source). */
  rateBasis: 'published' | 'derived';
}

/** A unit's committed rates and how many of that unit the option bills. */
export interface RatedPart {
  rates: CommittedRate[];
  count: number;
}

const sourceText = (r: CommittedRate) => `${r.source.url} (${r.source.retrieved})`;

/**
 * The committed prices of an option made of several billed parts (e.g. a Memorystore Standard
 * instance plus read replicas): a (term, payment) is offered only when every part offers it, since a
 * commitment that covers part of the option leaves the rest on-demand and is not that term's price.
 */
export function combineRates(parts: RatedPart[], multiplier: number): OptionCommitment[] {
  const billed = parts.filter((p) => p.count > 0);
  if (billed.length === 0) return [];
  const out: OptionCommitment[] = [];
  for (const first of billed[0].rates) {
    const matching = billed.map((p) =>
      p.rates.find((r) => r.term === first.term && r.payment === first.payment),
    );
    if (matching.some((r) => r === undefined)) continue;
    const rates = matching as CommittedRate[];
    out.push({
      term: first.term,
      payment: first.payment,
      upfrontUsd: rates.reduce((s, r, i) => s + r.upfrontUsd * billed[i].count, 0) * multiplier,
      hourlyUsd: rates.reduce((s, r, i) => s + r.hourlyUsd * billed[i].count, 0) * multiplier,
      source: [...new Set(rates.map(sourceText))].join('; '),
      rateBasis: rates.every((x) => x.basis === 'published') ? 'published' : 'derived',
    });
  }
  return out;
}

/** What one (term, payment) costs per month over the term: the hourly part plus the upfront spread. */
export function committedMonthly(c: Pick<OptionCommitment, 'term' | 'upfrontUsd' | 'hourlyUsd'>): number {
  return c.hourlyUsd * MONTH_HOURS + c.upfrontUsd / TERM_MONTHS[c.term];
}

/**
 * An option's committed prices, kept as its billed parts (the catalog's rate lists, shared) and the
 * region multiplier: a large cluster has thousands of options, and only the cheapest is spelled out.
 */
export interface OptionRates {
  parts: RatedPart[];
  multiplier: number;
}

export const NO_RATES: OptionRates = { parts: [], multiplier: 1 };

/** True when some (term, payment) is offered for every billed part of the option. */
export function hasRates(r: OptionRates): boolean {
  return COMMITMENT_TERMS.some((t) => bestMonthly(r, t) !== undefined);
}

/**
 * The payment option with the lowest monthly cost for a term (ties: less upfront), and that cost,
 * without building the option's price list.
 */
export function bestMonthly(
  r: OptionRates,
  term: CommitmentTerm,
): { payment: CommitmentPayment; monthly: number; upfront: number } | undefined {
  const billed = r.parts.filter((p) => p.count > 0);
  if (billed.length === 0) return undefined;
  let best: { payment: CommitmentPayment; monthly: number; upfront: number } | undefined;
  for (const first of billed[0].rates) {
    if (first.term !== term) continue;
    let upfront = 0;
    let hourly = 0;
    let complete = true;
    for (const p of billed) {
      const rate =
        p === billed[0] ? first : p.rates.find((x) => x.term === term && x.payment === first.payment);
      if (!rate) {
        complete = false;
        break;
      }
      upfront += rate.upfrontUsd * p.count;
      hourly += rate.hourlyUsd * p.count;
    }
    if (!complete) continue;
    const monthly = committedMonthly({
      term,
      upfrontUsd: upfront * r.multiplier,
      hourlyUsd: hourly * r.multiplier,
    });
    if (
      !best ||
      monthly < best.monthly - 1e-9 ||
      (Math.abs(monthly - best.monthly) <= 1e-9 && upfront * r.multiplier < best.upfront)
    )
      best = { payment: first.payment, monthly, upfront: upfront * r.multiplier };
  }
  return best;
}

/** The best payment option of a term, spelled out (upfront, hourly, sources). */
export function bestPayment(r: OptionRates, term: CommitmentTerm): OptionCommitment | undefined {
  const best = bestMonthly(r, term);
  return (
    best && combineRates(r.parts, r.multiplier).find((c) => c.term === term && c.payment === best.payment)
  );
}

/**
 * The first month at whose end the cumulative committed cost (upfront paid at the start, plus the
 * recurring part) is below the cumulative on-demand cost; null when that never happens in the term.
 */
export function breakEvenMonth(
  upfrontUsd: number,
  recurringMonthlyUsd: number,
  onDemandMonthlyUsd: number,
  termMonths: number,
): number | null {
  for (let m = 1; m <= termMonths; m++) {
    if (upfrontUsd + m * recurringMonthlyUsd < m * onDemandMonthlyUsd - 1e-9) return m;
  }
  return null;
}

/** A committed option as the frontier shows it, compared with the on-demand choice. */
export function committedCost(
  c: OptionCommitment,
  option: { sku: string; shards: number; nodes: number },
  onDemandMonthlyUsd: number,
): CommittedCost {
  const recurring = c.hourlyUsd * MONTH_HOURS;
  const monthly = committedMonthly(c);
  return {
    term: c.term,
    payment: c.payment,
    sku: option.sku,
    shards: option.shards,
    nodes: option.nodes,
    upfrontUsd: round2(c.upfrontUsd),
    recurringMonthlyUsd: round2(recurring),
    monthlyCostUsd: round2(monthly),
    breakEvenMonth: breakEvenMonth(c.upfrontUsd, recurring, onDemandMonthlyUsd, TERM_MONTHS[c.term]),
    savingPct: onDemandMonthlyUsd > 0 ? round2((1 - monthly / onDemandMonthlyUsd) * 100) : 0,
    source: c.source,
    rateBasis: c.rateBasis,
  };
}

/** What the serverless figure is computed from. */
export interface ServerlessInput {
  engine: 'redis' | 'valkey';
  /** The derived memory need (SERVERLESS.dataStored), bytes. */
  dataBytes: number;
  /**
   * spec.sizing.memoryGb in bytes when the spec pins memory: the usage limit follows it, the price
   * still bills dataBytes and says so.
   * @default no pin
   */
  pinnedBytes?: number;
  peakOpsPerSecond: number;
  /** The workload's dataset: bytes and keys, for the average request size (SERVERLESS.requestSize). */
  datasetBytes: number;
  datasetKeys: number;
  /** The catalog's region price multiplier (as on-demand). */
  multiplier: number;
  region: string;
}

/** Average bytes one request transfers: one average item of the workload. */
export function averageRequestBytes(datasetBytes: number, datasetKeys: number): number {
  return datasetKeys > 0 ? datasetBytes / datasetKeys : MEMORY.averageValueBytes.value;
}

/**
 * The serverless need, worked out once for the price and the adapter's usage limits: data stored
 * (the pin when there is one, SERVERLESS.dataStored), the ECPUs of one average request
 * (SERVERLESS.requestSize: fractional, at least 1) and the peak ECPUs per second.
 */
export function serverlessNeed(
  input: Pick<
    ServerlessInput,
    'dataBytes' | 'pinnedBytes' | 'peakOpsPerSecond' | 'datasetBytes' | 'datasetKeys'
  >,
  ecpuPerKb: number,
): ServerlessNeed {
  const requestBytes = averageRequestBytes(input.datasetBytes, input.datasetKeys);
  const ecpuPerRequest = Math.max(1, (requestBytes / SERVERLESS.kilobyte.value) * ecpuPerKb);
  const peakEcpuPerSecond = input.peakOpsPerSecond * ecpuPerRequest;
  const pinned = input.pinnedBytes !== undefined;
  const dataStoredBytes = pinned ? input.pinnedBytes! : input.dataBytes;
  const gb = (b: number) => (b / GB).toFixed(2);
  return {
    dataStoredBytes,
    dataStoredFrom: pinned ? 'pin' : 'derived',
    derivedBytes: input.dataBytes,
    requestBytes,
    ecpuPerRequest,
    peakEcpuPerSecond,
    reason: `data stored ${gb(dataStoredBytes)} GB (${pinned ? `pinned by sizing.memoryGb; the workload derives ${gb(input.dataBytes)} GB` : 'derived from the workload'}); ${int(input.peakOpsPerSecond)} peak ops/s x ${round2(ecpuPerRequest)} ECPU (${Math.round(requestBytes)} B per request at ${ecpuPerKb} ECPU per KB) = ${int(Math.ceil(peakEcpuPerSecond))} ECPU/s`,
  };
}

/** The plan's serverless need, from the planner's need and the serverless catalog's ECPU rule. */
export function planServerlessNeed(need: Need): ServerlessNeed {
  return serverlessNeed(
    {
      dataBytes: need.derived?.neededBytes ?? need.memory.neededBytes,
      // need.derived is set exactly when spec.sizing pins memory; need.memory is then the pin.
      ...(need.derived ? { pinnedBytes: need.memory.neededBytes } : {}),
      peakOpsPerSecond: need.peakOps,
      datasetBytes: need.dataset.bytes,
      datasetKeys: need.dataset.keys,
    },
    awsServerlessCatalog().ecpuPerKb,
  );
}

/**
 * ElastiCache Serverless for the workload: monthly = GB stored x dataGbHourUsd x 730 + ECPUs per
 * month / 1e6 x ecpuPerMillionUsd (x the region multiplier), with ECPUs per request = the request's
 * KB x ecpuPerKb, at least 1. Limits the workload exceeds are listed, not hidden.
 */
export function serverlessCost(input: ServerlessInput, p: ServerlessPricing): ServerlessCost {
  const dataGb = input.dataBytes / GB;
  const billedDataGb = Math.max(p.minimumDataGb, dataGb);
  const {
    requestBytes,
    ecpuPerRequest,
    peakEcpuPerSecond: ecpuPerSecond,
  } = serverlessNeed(input, p.ecpuPerKb);
  const ecpuPerMonth = ecpuPerSecond * SERVERLESS.sustainedShareOfPeak.value * 3600 * MONTH_HOURS;
  const dataMonthly = billedDataGb * p.dataGbHourUsd * MONTH_HOURS * input.multiplier;
  const ecpuMonthly = (ecpuPerMonth / 1e6) * p.ecpuPerMillionUsd * input.multiplier;
  const limitsExceeded: string[] = [];
  if (dataGb > p.maxDataGb)
    limitsExceeded.push(
      `${dataGb.toFixed(1)} GB of data > the ${int(p.maxDataGb)} GB a serverless cache holds`,
    );
  if (ecpuPerSecond > p.maxEcpuPerSecond)
    limitsExceeded.push(
      `${int(Math.ceil(ecpuPerSecond))} ECPU/s at peak > the ${int(p.maxEcpuPerSecond)} ECPU/s a serverless cache serves`,
    );
  const monthly = dataMonthly + ecpuMonthly;
  const minNote =
    billedDataGb > dataGb ? ` (the ${p.minimumDataGb} GB minimum; the need is ${dataGb.toFixed(2)} GB)` : '';
  // A pin sets the usage limit; the bill is for what the workload stores, so say which figure is priced.
  const pinNote =
    input.pinnedBytes !== undefined
      ? ` (the workload's derived need; the usage limit follows the pinned ${(input.pinnedBytes / GB).toFixed(2)} GB)`
      : '';
  return {
    engine: input.engine,
    dataGb: round2(dataGb),
    billedDataGb: round2(billedDataGb),
    requestBytes: Math.round(requestBytes),
    ecpuPerRequest: round2(ecpuPerRequest),
    ecpuPerSecond: Math.ceil(ecpuPerSecond),
    ecpuPerMonth: Math.round(ecpuPerMonth),
    dataMonthlyUsd: round2(dataMonthly),
    ecpuMonthlyUsd: round2(ecpuMonthly),
    monthlyCostUsd: round2(monthly),
    limitsExceeded,
    reason: `ElastiCache Serverless (${input.engine}, ${input.region}): ${round2(billedDataGb).toFixed(2)} GB stored${minNote}${pinNote} x $${p.dataGbHourUsd}/GB-h x ${MONTH_HOURS} h = ${usd(dataMonthly)} + ${int(input.peakOpsPerSecond)} ops/s x ${round2(ecpuPerRequest)} ECPU (${Math.round(requestBytes)} B per request) sustained all month = ${(ecpuPerMonth / 1e6).toFixed(0)} M ECPU x $${p.ecpuPerMillionUsd}/M = ${usd(ecpuMonthly)}${input.multiplier !== 1 ? ` (x ${input.multiplier} for ${input.region})` : ''}${limitsExceeded.length ? `; exceeds serverless limits: ${limitsExceeded.join('; ')}` : ''}`,
    source: `${p.source.url} (${p.source.retrieved})`,
  };
}

/** The frontier's cheapest basis that can hold the workload, with its saving against on-demand. */
export function cheapestBasis(
  onDemand: number | null,
  committed: CostFrontier['committed'],
  serverless: ServerlessCost | undefined,
): CostFrontier['cheapest'] {
  if (onDemand === null) return null;
  const candidates: Array<[PricingBasis, number]> = [['on-demand', onDemand]];
  for (const t of COMMITMENT_TERMS) {
    const c = committed[t];
    if (c) candidates.push([t, c.monthlyCostUsd]);
  }
  if (serverless && serverless.limitsExceeded.length === 0)
    candidates.push(['serverless', serverless.monthlyCostUsd]);
  const [basis, monthly] = candidates.reduce((a, b) => (b[1] < a[1] - 1e-9 ? b : a));
  return {
    basis,
    monthlyCostUsd: monthly,
    savingUsd: round2(onDemand - monthly),
    savingPct: onDemand > 0 ? round2((1 - monthly / onDemand) * 100) : 0,
  };
}

/** One line: the cheapest way to pay for a platform and by how much, for the CLI and the report. */
export function cheapestLine(f: CostFrontier): string {
  const c = f.cheapest;
  if (!c) return 'nothing fits';
  if (c.basis === 'on-demand') return 'on-demand (no commitment or serverless option costs less)';
  const what = c.basis === 'serverless' ? 'serverless' : `${c.basis} commitment`;
  return `${what}: ${usd(c.monthlyCostUsd)}/month, ${usd(c.savingUsd)} (${c.savingPct.toFixed(0)}%) below on-demand`;
}

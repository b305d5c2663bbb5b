/** The Pulumi targets, in a module of their own so that callers need not load @pulumi/pulumi. */
export const PULUMI_TARGETS = ['gcp', 'azure-premium', 'azure-managed'] as const;
export type PulumiTarget = (typeof PULUMI_TARGETS)[number];

/** The AWS (ElastiCache) adapter: a reusable construct, the stack for a deployment and in-process synth. */
export * from './alarms';
export * from './auth-token';
export * from './cfn-lint';
export * from './contract-outputs';
export * from './engine';
export * from './log-delivery';
export * from './nag';
export * from './notifications';
export * from './parameter-group';
export * from './redis-replication-group';
export * from './redis-serverless-cache';
export * from './serverless-alarms';
export * from './serverless-limits';
export * from './stack';
export * from './synth';

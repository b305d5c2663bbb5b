/**
 * Diagnostic settings: every metric and the connection logs of a cache go to a Log Analytics
 * workspace (an existing one, or one created for this deployment with 30 days of retention).
 */
import * as pulumi from '@pulumi/pulumi';
import * as monitor from '@pulumi/azure-native/monitor';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import { transformed, type Transform } from '../pulumi/transform';

export interface DiagnosticsArgs {
  resourceGroupName: string;
  location: string;
  workspaceName: string;
  /** Use this workspace instead of creating one. */
  workspaceId?: pulumi.Input<string>;
  /** Resources to collect from, each with whether it emits connection logs / metrics. */
  sources: Array<{ id: string; resourceUri: pulumi.Input<string>; logs: boolean; metrics: boolean }>;
  tags: Record<string, string>;
  transform?: Transform<monitor.DiagnosticSettingArgs>;
}

export function createDiagnostics(
  name: string,
  args: DiagnosticsArgs,
  parent: pulumi.Resource,
): monitor.DiagnosticSetting[] {
  const workspaceId =
    args.workspaceId ??
    new operationalinsights.Workspace(
      `${name}-logs`,
      {
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: 'PerGB2018' },
        retentionInDays: 30,
        tags: args.tags,
      },
      { parent },
    ).id;
  return args.sources.map((source) => {
    const settingArgs: monitor.DiagnosticSettingArgs = {
      name: `${args.workspaceName}-${source.id}`,
      resourceUri: source.resourceUri,
      workspaceId,
      logAnalyticsDestinationType: 'Dedicated',
      logs: source.logs ? [{ categoryGroup: 'allLogs', enabled: true }] : [],
      metrics: source.metrics ? [{ category: 'AllMetrics', enabled: true }] : [],
    };
    return new monitor.DiagnosticSetting(
      ...transformed(`${name}-diag-${source.id}`, settingArgs, { parent }, args.transform),
    );
  });
}

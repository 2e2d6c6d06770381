import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * Where a worker gets its workflow code: the bundle prebuilt by `nx build` (production), or else
 * the sources under workflows/, bundled at start with the workspace's import aliases (tests, dev).
 */
export function workflowCodeOptions(
  prebuiltBundle: string | undefined,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (prebuiltBundle && existsSync(prebuiltBundle)) {
    return { workflowBundle: { codePath: prebuiltBundle } };
  }
  // The one reader of the workspace's aliases, shared with jest and the build; only reached outside a built artefact.
  const { repoRoot, workspaceAliases } = require('@handoffs/build-support');
  const workflowsPath = path.join(repoRoot, 'workflows', 'index.ts');
  if (!existsSync(workflowsPath)) {
    throw new Error(`No workflow bundle at ${prebuiltBundle} and no workflow sources to bundle: build it as a service that hosts workflows (libs/contracts/src/services.json)`);
  }
  return {
    workflowsPath,
    bundlerOptions: {
      webpackConfigHook: (config) => ({
        ...config,
        resolve: { ...config.resolve, alias: { ...(config.resolve?.alias ?? {}), ...workspaceAliases() } },
      }),
    },
  };
}

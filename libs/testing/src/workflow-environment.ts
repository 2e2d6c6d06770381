import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, type BundleOptions } from '@temporalio/worker';
import { failureConverterPath, workflowCodeOptions } from '@handoffs/temporal';
import { createTestNamespace, testDataConverter, testStack } from './stack';

/**
 * What a workflow test needs on the real Temporal server: its own namespace, a client, a worker
 * connection, the workflow bundle, and the data converter the services use (workers get it too).
 */
export interface WorkflowTestEnvironment {
  namespace: string;
  client: Client;
  workerConnection: NativeConnection;
  workflowBundle: { code: string };
  dataConverter: DataConverter;
  close(): Promise<void>;
}

/**
 * The workflow code bundled from the workspace's sources, with the services' failure converter, as a
 * test's workers load it. `webpackConfigHook` changes the bundle further (the replay tests build a
 * deliberately altered workflow with it).
 */
export async function bundleWorkflows(options: { webpackConfigHook?: BundleOptions['webpackConfigHook'] } = {}): Promise<{ code: string }> {
  const source = workflowCodeOptions(undefined);
  const workspaceHook = source.bundlerOptions!.webpackConfigHook!;
  const extraHook = options.webpackConfigHook ?? ((config) => config);
  return bundleWorkflowCode({
    workflowsPath: source.workflowsPath!,
    webpackConfigHook: (config) => extraHook(workspaceHook(config)),
    failureConverterPath: failureConverterPath(),
  });
}

export async function createWorkflowTestEnvironment(prefix: string): Promise<WorkflowTestEnvironment> {
  const namespace = await createTestNamespace(prefix);
  const clientConnection = await Connection.connect({ address: testStack().temporalAddress });
  const workerConnection = await NativeConnection.connect({ address: testStack().temporalAddress });
  const dataConverter = testDataConverter();
  const workflowBundle = await bundleWorkflows();
  return {
    namespace,
    client: new Client({ connection: clientConnection, namespace, dataConverter }),
    workerConnection,
    workflowBundle,
    dataConverter,
    async close() {
      await workerConnection.close();
      await clientConnection.close();
    },
  };
}

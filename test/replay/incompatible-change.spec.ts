import * as path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { Process } from '@handoffs/contracts';
import { bundleWorkflows } from '@handoffs/testing';
import { recordedHistories, replayHistories, type RecordedHistory } from './histories';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EDIT_LOADER = path.join(__dirname, 'fixtures', 'workflow-edit-loader.cjs');

interface Edit {
  find: string;
  replace: string;
}

/** A change to one workflow, written twice: as it would break running handoffs, and guarded by patched(). */
interface WorkflowChange {
  what: string;
  process: Process;
  file: string;
  unguarded: Edit[];
  patched: Edit[];
  /** A recorded branch that has run past the changed code: its replay must fail. */
  breaks: string;
  /** A recorded branch still waiting before the changed code, if there is one: it replays even unguarded. */
  unaffected?: string;
}

const CHANGES: WorkflowChange[] = [
  {
    what: 'an extra timer before an existing activity (status clarification waits a minute before asking the register)',
    process: 'status-clarification',
    file: 'workflows/status-clarification/workflow.ts',
    unguarded: [
      {
        find: '  const onRecord = await immigrationRegister.findCurrentStatus(',
        replace: "  await sleep('1 minute');\n  const onRecord = await immigrationRegister.findCurrentStatus(",
      },
    ],
    patched: [
      { find: '  log,\n  setHandler,\n  sleep,', replace: '  log,\n  patched,\n  setHandler,\n  sleep,' },
      {
        find: '  const onRecord = await immigrationRegister.findCurrentStatus(',
        replace: "  if (patched('wait-before-register-lookup')) await sleep('1 minute');\n  const onRecord = await immigrationRegister.findCurrentStatus(",
      },
    ],
    breaks: 'caseworker-answer',
  },
  {
    what: 'an extra activity before an existing one (the job centre logs the handed-over application before receiving it)',
    process: 'legal-domain-transfer',
    file: 'workflows/legal-domain-transfer/workflow.ts',
    unguarded: [
      {
        find: '  await jobCentre.receiveSgb2Application({',
        replace: '  await jobCentreRecords.recordTransfer(handoverReceived);\n  await jobCentre.receiveSgb2Application({',
      },
    ],
    patched: [
      { find: '  condition,\n  setHandler,\n  sleep,', replace: '  condition,\n  patched,\n  setHandler,\n  sleep,' },
      {
        find: '  await jobCentre.receiveSgb2Application({',
        replace: "  if (patched('job-centre-logs-handover')) await jobCentreRecords.recordTransfer(handoverReceived);\n  await jobCentre.receiveSgb2Application({",
      },
    ],
    breaks: 'running-waiting-for-sgb2-decision',
    unaffected: 'running-waiting-for-confirmation',
  },
  {
    what: 'activities in another order (a cancelled deportation is unwound oldest step first)',
    process: 'deportation',
    file: 'workflows/deportation/workflow.ts',
    unguarded: [{ find: 'for (const compensation of [...compensations].reverse()) {', replace: 'for (const compensation of compensations) {' }],
    patched: [
      {
        find: 'for (const compensation of [...compensations].reverse()) {',
        replace: "for (const compensation of patched('unwind-oldest-first') ? compensations : [...compensations].reverse()) {",
      },
    ],
    breaks: 'scheduled-cancelled-unwound',
    unaffected: 'running-scheduled',
  },
];

/** The current workflow code with `edits` applied to one file while it is bundled. */
function bundleWith(file: string, edits: Edit[]) {
  return bundleWorkflows({
    webpackConfigHook: (config) => ({
      ...config,
      module: {
        ...config.module,
        rules: [...(config.module?.rules ?? []), { resource: path.join(REPO_ROOT, file), enforce: 'pre', use: [{ loader: EDIT_LOADER, options: { edits } }] }],
      },
    }),
  });
}

function history(process: Process, branch: string): RecordedHistory {
  const found = recordedHistories().find((recorded) => recorded.process === process && recorded.branch === branch);
  if (!found) throw new Error(`No recorded history ${process}/${branch}`);
  return found;
}

/**
 * The versioning rule (DESIGN.md §4), shown on the recorded histories: a change that alters what a
 * running workflow does next fails the replay test with a determinism error; the same change behind
 * patched() replays every recorded history, because workflows that started before it keep the old path.
 */
describe('an incompatible change to a workflow is caught by the replay', () => {
  beforeAll(() => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  });

  describe.each(CHANGES)('$what', (change) => {
    let unguarded: { code: string };
    let guarded: { code: string };

    beforeAll(async () => {
      unguarded = await bundleWith(change.file, change.unguarded);
      guarded = await bundleWith(change.file, change.patched);
    });

    it(`unguarded, it breaks the recorded ${change.process}/${change.breaks} with a DeterminismViolationError`, async () => {
      const [error] = await replayHistories(unguarded, [history(change.process, change.breaks)]);
      expect(error).toBeInstanceOf(DeterminismViolationError);
      expect(error?.message).toMatch(/nondetermin/i);
    });

    if (change.unaffected) {
      it(`unguarded, it does not touch ${change.process}/${change.unaffected}, which has not reached the changed code`, async () => {
        expect(await replayHistories(unguarded, [history(change.process, change.unaffected!)])).toEqual([undefined]);
      });
    }

    it(`inside patched(), every recorded history of ${change.process} replays`, async () => {
      const recorded = recordedHistories().filter((r) => r.process === change.process);
      const errors = await replayHistories(guarded, recorded);
      expect(recorded.filter((_, index) => errors[index]).map(({ branch }) => branch)).toEqual([]);
      expect(recorded.length).toBeGreaterThan(1);
    });
  });
});

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { PROCESSES } from '@handoffs/contracts';
import { PERSONAL_DATA, bundleWorkflows } from '@handoffs/testing';
import { HISTORIES_DIR, historyFile, loadHistory, recordedHistories, replayHistories, startedWorkflowType, workflowTypeOf } from './histories';
import { SCENARIOS } from './recorder/scenarios';

const RECORDED = recordedHistories();

/**
 * Every history under test/replay/<process>/ replays against the workflow code as it is now: a change
 * that would break a handoff in flight fails here, before it is deployed (see docs/development.md, "Changing a
 * workflow safely"). Needs no server: the replay worker takes the histories from the files.
 */
describe('recorded histories replay against the current workflow code', () => {
  let errors: Map<string, Error | undefined>;

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const results = await replayHistories(await bundleWorkflows(), RECORDED);
    errors = new Map(RECORDED.map(({ file }, index) => [file, results[index]]));
  });

  it.each(PROCESSES)('there are recorded histories of %s', (process) => {
    expect(RECORDED.filter((recorded) => recorded.process === process).length).toBeGreaterThan(0);
  });

  it('there is a history of every branch the recorder drives', () => {
    const missing = SCENARIOS.filter(({ process, branch }) => !existsSync(historyFile(process, branch)));
    expect(missing.map(({ process, branch }) => `${process}/${branch}`)).toEqual([]);
  });

  it('the histories hold no personal value of the fixtures or the demo in plain text (their payloads are encrypted)', () => {
    const found = RECORDED.flatMap(({ file }) => {
      const text = readFileSync(file, 'utf8');
      return PERSONAL_DATA.filter(({ value }) => text.includes(value)).map(({ kind, of }) => `${path.relative(HISTORIES_DIR, file)}: ${kind} of ${of}`);
    });
    expect(found).toEqual([]);
  });

  describe.each(PROCESSES.filter((process) => RECORDED.some((recorded) => recorded.process === process)))('%s', (process) => {
    const ofProcess = RECORDED.filter((recorded) => recorded.process === process);
    it.each(ofProcess.map((recorded) => [recorded.branch, recorded] as const))('%s', (_, recorded) => {
      expect(startedWorkflowType(loadHistory(recorded.file))).toBe(workflowTypeOf(process));
      const error = errors.get(recorded.file);
      if (error) {
        throw new Error(`${path.relative(HISTORIES_DIR, recorded.file)} no longer replays: ${error.name}: ${error.message}`);
      }
    });
  });
});

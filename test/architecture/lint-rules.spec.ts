import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Files that break the design on purpose, placed in the workspace only while ESLint reads them. */
const VIOLATIONS = {
  'workflows/status-clarification/zz-lint-probe-builtin.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  'workflows/status-clarification/zz-lint-probe-typeorm.ts': "import { DataSource } from 'typeorm';\nexport const x = DataSource;\n",
  'workflows/status-clarification/zz-lint-probe-service.ts':
    "import { AppModule } from '../../services/job-centre/src/app.module';\nexport const x = AppModule;\n",
  'services/job-centre/src/zz-lint-probe-other-service.ts':
    "import { StatusInquiryController } from '../../immigration/src/status-inquiry/status-inquiry.controller';\nexport const x = StatusInquiryController;\n",
  'services/job-centre/src/zz-lint-probe-workflow-code.ts': "import { statusClarification } from '@handoffs/workflows';\nexport const x = statusClarification;\n",
  'services/job-centre/src/zz-lint-probe-messages.ts': "import { answerStatusInquiry } from '@handoffs/workflows/messages';\nexport const x = answerStatusInquiry;\n",
  'libs/contracts/src/zz-lint-probe-floating.ts': 'async function later(): Promise<void> {}\nlater();\n',
};

/** The lint rules that protect the design refuse what the design forbids. */
describe('architecture lint rules', () => {
  const broken: Record<string, string[]> = {};

  beforeAll(() => {
    const files = Object.keys(VIOLATIONS);
    try {
      for (const [file, code] of Object.entries(VIOLATIONS)) writeFileSync(path.join(REPO_ROOT, file), code);
      const eslint = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'eslint'), ['--format', 'json', ...files], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
      });
      for (const result of JSON.parse(eslint.stdout) as { filePath: string; messages: { severity: number; ruleId: string | null; message: string }[] }[]) {
        broken[path.relative(REPO_ROOT, result.filePath)] = result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
      }
    } finally {
      for (const file of files) rmSync(path.join(REPO_ROOT, file), { force: true });
    }
  });

  it('keeps Node built-ins, databases and service code out of workflow code', () => {
    expect(broken['workflows/status-clarification/zz-lint-probe-builtin.ts']).toContain('no-restricted-imports');
    expect(broken['workflows/status-clarification/zz-lint-probe-typeorm.ts']).toContain('no-restricted-imports');
    expect(broken['workflows/status-clarification/zz-lint-probe-service.ts']).toContain('no-restricted-imports');
  });

  it('refuses an import of one service by another', () => {
    expect(broken['services/job-centre/src/zz-lint-probe-other-service.ts']).toContain('@nx/enforce-module-boundaries');
  });

  it('refuses a service importing workflow code, and lets it import the messages', () => {
    expect(broken['services/job-centre/src/zz-lint-probe-workflow-code.ts']).toContain('@nx/enforce-module-boundaries');
    expect(broken['services/job-centre/src/zz-lint-probe-messages.ts']).toEqual([]);
  });

  it('makes an unawaited promise an error', () => {
    expect(broken['libs/contracts/src/zz-lint-probe-floating.ts']).toContain('@typescript-eslint/no-floating-promises');
  });
});

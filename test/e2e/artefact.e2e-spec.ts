import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, createTestNamespace, freePort, SERVICES_DIST, testStack } from '@handoffs/testing';

/**
 * `nx build job-centre` makes a folder that runs on its own: copied away from the workspace, with only
 * the packages its generated package.json names, it starts with `node main.js`, becomes healthy and
 * stops cleanly on SIGTERM.
 */
describe('the built job-centre artefact', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'job-centre-'));
    cpSync(path.join(SERVICES_DIST, 'job-centre'), folder, { recursive: true });
    execFileSync('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: folder,
      stdio: 'pipe',
    });
  });

  afterAll(() => folder && rmSync(folder, { recursive: true, force: true }));

  it('names its own dependencies and no workspace library', () => {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
    expect(manifest.main).toBe('main.js');
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['@nestjs/core', '@temporalio/worker', 'pg', 'typeorm']));
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@handoffs/'))).toEqual([]);
  });

  it('starts with node main.js, answers /health and drains on SIGTERM', async () => {
    const port = await freePort();
    const [databaseUrl, namespace] = await Promise.all([createTestDatabase('artefact'), createTestNamespace('artefact')]);
    const child = spawn(process.execPath, ['main.js'], {
      cwd: folder,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: testStack().temporalAddress,
        TEMPORAL_NAMESPACE: namespace,
        PAYLOAD_ENCRYPTION_KEYS: testStack().payloadKeys,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    let health = 0;
    for (let attempt = 0; attempt < 150 && health !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
    }
    expect(health).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toContain('"state":"STOPPED"');
  });
});

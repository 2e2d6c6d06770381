import { builtinModules } from 'node:module';
import nx from '@nx/eslint-plugin';
import { SERVICE_ROSTER } from './scripts/lib/service-roster.mjs';

/** The scopes of the services' projects (the agency simulator shares the gateway's). */
const SERVICE_SCOPES = [...new Set(SERVICE_ROSTER.map(({ scope }) => scope))];

/** Which projects may import which: `extraForAll` widens every type's list (specs may use test helpers). */
function moduleBoundaries(extraForAll) {
  const allow = (...tags) => [...tags, ...extraForAll];
  return {
    enforceBuildableLibDependency: false,
    depConstraints: [
      // Workflow code is deterministic: it depends on contracts and its messages only.
      { sourceTag: 'type:workflow', onlyDependOnLibsWithTags: allow('type:contracts', 'type:messages', 'type:workflow') },
      // A workflow's messages (Updates, Signals, Queries, its type): what services talk to it by, without its code.
      { sourceTag: 'type:messages', onlyDependOnLibsWithTags: allow('type:contracts') },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: allow('type:contracts') },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: allow('type:contracts', 'type:messages', 'type:util') },
      // Services reach workflows through their messages; the workflow code runs in a worker, never imported.
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: allow('type:contracts', 'type:messages', 'type:util') },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: allow('type:contracts', 'type:messages', 'type:testing', 'type:util') },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:messages', 'type:util', 'type:workflow', 'type:testing'] },
      // A service never imports another service; the codec server none at all.
      ...SERVICE_SCOPES.map((scope) => ({
        sourceTag: `scope:${scope}`,
        onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
      })),
    ],
  };
}

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.tools/**', '.nx/**', 'coverage/**', 'test-results/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries([])],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'libs/testing/**/*.ts', 'libs/service-kit/src/testing.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(['type:testing', 'type:util'])],
    },
  },
  {
    // Determinism: no Node built-ins, no I/O libraries, no service code in workflows.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.flatMap((name) => [name, `node:${name}`]).map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins.',
          })),
          patterns: [
            { group: ['typeorm', 'typeorm/*', 'pg', '@nestjs/*'], message: 'Workflow code must not touch databases or Nest.' },
            { group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity'], message: 'Workflows import @temporalio/workflow only.' },
            { group: ['**/services/**', '@handoffs/service-kit', '@handoffs/handoff-records', '@handoffs/temporal'], message: 'Workflows import contracts and pure helpers only.' },
          ],
        },
      ],
    },
  },
];

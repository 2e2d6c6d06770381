#!/usr/bin/env node
// Builds one service into a self-contained folder: dist/services/<name>/ with main.js (the service,
// its workspace libraries bundled in), failure-converter.js (loaded by path by its Temporal client and
// worker), workflow-bundle.js when it hosts workflows (the service roster, libs/contracts/src/services.json,
// says which do), and a generated package.json naming exactly the npm packages it needs. Start it with `node main.js`.
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serviceEntry } from './lib/service-roster.mjs';

const require = createRequire(import.meta.url);
const { repoRoot, swcOptions, workspaceAliases } = require('../libs/build-support/src/index.cjs');
const webpack = require('webpack');

const [service] = process.argv.slice(2);
if (!service) {
  console.error('usage: node scripts/build-service.mjs <service>');
  process.exit(2);
}
const { hostsWorkflows } = serviceEntry(service);
// SERVICES_DIST lets parallel work build and test its own copies without touching dist/.
const outDir = path.join(process.env.SERVICES_DIST ?? path.join(repoRoot, 'dist', 'services'), service);
const aliases = workspaceAliases();
// Failure messages are encrypted: the converter that does it is loaded by path, and bundled into workflow code.
const failureConverter = path.join(repoRoot, 'libs', 'temporal', 'src', 'failure-converter.ts');

const swcLoader = {
  loader: require.resolve('swc-loader'),
  options: swcOptions('es6'),
};

// Packages loaded by name at run time, which webpack cannot see: TypeORM loads its driver this way,
// and Nest's Fastify adapter the static-file plugin that serves the OpenAPI page.
const LOADED_AT_RUN_TIME = { typeorm: ['pg'], '@nestjs/swagger': ['@fastify/static'] };

function packageOf(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function bundleService() {
  const externals = new Set();
  const compiler = webpack({
    mode: 'production',
    target: 'node20',
    context: repoRoot,
    entry: { main: path.join(repoRoot, 'services', service, 'src', 'main.ts'), 'failure-converter': failureConverter },
    output: { path: outDir, filename: '[name].js', library: { type: 'commonjs2' } },
    devtool: 'source-map',
    node: { __dirname: false, __filename: false },
    optimization: { minimize: false },
    resolve: { extensions: ['.ts', '.js', '.json'], alias: aliases },
    module: { rules: [{ test: /\.ts$/, exclude: /node_modules/, use: swcLoader }] },
    externalsPresets: { node: true },
    externals: [
      ({ request }, callback) => {
        if (request && !request.startsWith('.') && !path.isAbsolute(request) && !request.startsWith('@handoffs/') && !request.startsWith('node:')) {
          externals.add(packageOf(request));
          return callback(null, `commonjs ${request}`);
        }
        return callback();
      },
    ],
    ignoreWarnings: [/Critical dependency/],
  });
  const stats = await new Promise((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
  await new Promise((resolve) => compiler.close(resolve));
  if (stats.hasErrors()) {
    throw new Error(stats.toString({ all: false, errors: true }));
  }
  return externals;
}

async function bundleWorkflows() {
  const { bundleWorkflowCode } = require('@temporalio/worker');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(repoRoot, 'workflows', 'index.ts'),
    failureConverterPath: failureConverter,
    webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, alias: { ...config.resolve?.alias, ...aliases } } }),
    logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
  });
  await writeFile(path.join(outDir, 'workflow-bundle.js'), code);
}

async function writeManifest(externals) {
  const root = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'));
  const declared = { ...root.devDependencies, ...root.dependencies };
  const installedVersion = (name) => require(path.join(repoRoot, 'node_modules', name, 'package.json')).version;
  const builtins = new Set(require('node:module').builtinModules);
  const needed = [...externals].flatMap((name) => [name, ...(LOADED_AT_RUN_TIME[name] ?? [])]);
  const dependencies = Object.fromEntries(
    [...new Set(needed)].filter((name) => !builtins.has(name)).sort().map((name) => {
      if (!declared[name]) {
        throw new Error(`${service} imports ${name}, which the root package.json does not declare`);
      }
      // Exactly what the lockfile installed and the tests ran against.
      return [name, installedVersion(name)];
    }),
  );
  const manifest = {
    name: `@handoffs/${service}`,
    version: root.version,
    private: true,
    description: `The ${service} service of ${root.name}, built by nx build ${service}`,
    main: 'main.js',
    engines: root.engines,
    scripts: { start: 'node main.js' },
    dependencies,
  };
  await writeFile(path.join(outDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const externals = await bundleService();
if (hostsWorkflows) {
  await bundleWorkflows();
}
await writeManifest(externals);
console.log(`built ${path.relative(repoRoot, outDir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

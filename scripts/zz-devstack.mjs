const { startPostgres } = await import('./lib/postgres.mjs');
const { startTemporal } = await import('./lib/temporal-dev-server.mjs');
const t = await startTemporal({ port: 27233, uiPort: 28233, dbFile: '/tmp/devstack/temporal.db', log: console.error });
const p = await startPostgres({ port: 25432, dataDir: '/tmp/devstack/pg', useDatabaseUrl: false, log: console.error });
console.log(JSON.stringify({ temporal: t.address, db: p.databaseUrl }));
process.on('SIGTERM', async () => { await t.stop(); await p.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);

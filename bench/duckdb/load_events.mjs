// bench/duckdb/load_events.mjs DATA_DIR [THREADS]
// Loads the CloudTrail files under DATA_DIR into an in-memory DuckDB table of typed columns
// and prints one JSON line: {"rows": N, "seconds": S}. Run it under /usr/bin/time for RSS.
import { DuckDBInstance } from '@duckdb/node-api';
import { eventsTableSql } from './events_table.mjs';

const [dataDir, threads = '2'] = process.argv.slice(2);
if (!dataDir) {
  console.error('usage: load_events.mjs DATA_DIR [THREADS]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:', { threads });
const conn = await instance.connect();
const start = process.hrtime.bigint();
await conn.run(eventsTableSql(dataDir));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const rows = (await conn.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0];
console.log(JSON.stringify({ rows: Number(rows), seconds }));

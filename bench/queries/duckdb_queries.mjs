// bench/queries/duckdb_queries.mjs DATA_DIR QUERIES_DIR RUNS OUT_DIR [THREADS]
// The DuckDB side of bench/queries: loads DATA_DIR's CloudTrail files into an in-memory typed
// table (bench/duckdb/events_table.mjs), then runs each query qN_*.sql (or its DuckDB
// spelling qN_*.duckdb.sql when one exists) once to warm up and RUNS more times. Prints one
// JSON line per query ({query, rows, min_ms, median_ms}) and writes its rows to
// OUT_DIR/NAME.ndjson as JSON arrays in result order, values canonicalised as trailbook prints
// them (timestamps ISO-8601 UTC with a fraction only when non-zero, integers as numbers).
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { eventsTableSql } from '../duckdb/events_table.mjs';

const [dataDir, queriesDir, runsArg, outDir, threads = '2'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: duckdb_queries.mjs DATA_DIR QUERIES_DIR RUNS OUT_DIR [THREADS]');
  process.exit(2);
}
const runs = Math.max(1, Number(runsArg));

function isoFromMicros(micros) {
  const ms = Number(micros / 1000n);
  const fraction = Number(((micros % 1000000n) + 1000000n) % 1000000n);
  const base = new Date(ms - (fraction - (fraction % 1000)) / 1000).toISOString().slice(0, 19);
  if (fraction === 0) return `${base}Z`;
  return `${base}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}Z`;
}

function canonical(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && typeof v.micros === 'bigint') return isoFromMicros(v.micros);
  if (typeof v === 'object') return String(v);
  return v;
}

const instance = await DuckDBInstance.create(':memory:', { threads });
const conn = await instance.connect();
const loadStart = process.hrtime.bigint();
await conn.run(eventsTableSql(dataDir));
const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
console.log(JSON.stringify({ load_seconds: loadSeconds }));

fs.mkdirSync(outDir, { recursive: true });
const files = fs.readdirSync(queriesDir)
  .filter((f) => /^q.*\.sql$/.test(f) && !f.includes('.duckdb.'))
  .sort();
for (const file of files) {
  const name = file.replace(/\.sql$/, '');
  const duckFile = path.join(queriesDir, `${name}.duckdb.sql`);
  const sql = fs.readFileSync(fs.existsSync(duckFile) ? duckFile : path.join(queriesDir, file), 'utf8');
  const times = [];
  let rows = [];
  for (let r = 0; r < runs + 1; ++r) {
    const start = process.hrtime.bigint();
    const reader = await conn.runAndReadAll(sql);
    rows = reader.getRows();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  fs.writeFileSync(path.join(outDir, `${name}.ndjson`),
    rows.map((row) => JSON.stringify(row.map(canonical))).join('\n') + (rows.length ? '\n' : ''));
  console.log(JSON.stringify({
    query: name, rows: rows.length, min_ms: times[0], median_ms: times[Math.floor(times.length / 2)],
  }));
}

// tests/sql/differential/differential.mjs TRAILBOOK WORK_DIR [EVENTS]
// The differential test (run by tests/sql/differential_test.cc; ctest label `slow`): generates
// EVENTS CloudTrail events with `trailbook gen` (seed 7), ingests them into a trailbook store,
// loads the same files into DuckDB as a typed in-memory table (bench/duckdb/events_table.mjs),
// runs every query of queries.mjs on both (`trailbook query --format ndjson`) and compares the
// answers. Prints one line per query and exits 1 when any answer differs, 77 when DuckDB's
// Node package is not installed (cd bench && npm install).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { queries } from './queries.mjs';

const [trailbook, workDir, eventsArg = '20000'] = process.argv.slice(2);
if (!workDir) {
  console.error('usage: differential.mjs TRAILBOOK WORK_DIR [EVENTS]');
  process.exit(2);
}
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
let duckdb;
try {
  const require = createRequire(path.join(repo, 'bench/package.json'));
  duckdb = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
} catch (e) {
  console.log(`SKIP: @duckdb/node-api is not installed under bench/ (cd bench && npm install): ${e.message}`);
  process.exit(77);
}
const { eventsTableSql } = await import(pathToFileURL(path.join(repo, 'bench/duckdb/events_table.mjs')).href);

const data = path.join(workDir, 'data');
const store = path.join(workDir, 'store');
execFileSync(trailbook, ['gen', data, '--events', eventsArg, '--seed', '7', '--days', '30'], { stdio: 'ignore' });
execFileSync(trailbook, ['ingest', '--store', store, '--no-progress', data], { stdio: 'ignore' });

const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: '2' });
const conn = await instance.connect();
await conn.run(eventsTableSql(data));

function isoFromMicros(micros) {
  const seconds = micros / 1000000n;
  const fraction = Number(micros - seconds * 1000000n);
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  if (fraction === 0) return `${base}Z`;
  return `${base}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}Z`;
}

// Canonical forms: numbers (doubles to 12 significant digits), strings, booleans, null,
// timestamps as trailbook prints them (ISO-8601 UTC, a fraction only when non-zero), dates
// as YYYY-MM-DD.
function canonical(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (typeof v === 'object' && typeof v.micros === 'bigint') return isoFromMicros(v.micros);
  if (typeof v === 'object' && typeof v.days === 'number') {
    return new Date(v.days * 86400000).toISOString().slice(0, 10);
  }
  if (typeof v === 'object') return String(v);
  return v;
}

// trailbook prints timestamps with milliseconds when they have a fraction; normalise both
// sides to the shortest fraction.
function canonicalTrailbook(v) {
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v)) {
    return v.replace(/\.(\d*?)0*Z$/, (m, d) => (d.length ? `.${d}Z` : 'Z'));
  }
  return canonical(v);
}

let failures = 0;
for (const q of queries) {
  let tb;
  try {
    const out = execFileSync(trailbook, ['query', '--store', store, '--format', 'ndjson', q.sql],
      { encoding: 'utf8', maxBuffer: 1 << 28 });
    tb = out.split('\n').filter((l) => l.length > 0)
      .map((l) => JSON.stringify(Object.values(JSON.parse(l)).map(canonicalTrailbook)));
  } catch (e) {
    console.log(`FAIL ${q.name}: trailbook: ${e.stderr || e.message}`);
    ++failures;
    continue;
  }
  let duck;
  try {
    const reader = await conn.runAndReadAll(q.duckdb ?? q.sql);
    duck = reader.getRows().map((row) => JSON.stringify(row.map(canonical)));
  } catch (e) {
    console.log(`FAIL ${q.name}: DuckDB: ${e.message}`);
    ++failures;
    continue;
  }
  if (!q.ordered) {
    tb.sort();
    duck.sort();
  }
  let problem = '';
  if (tb.length !== duck.length) {
    problem = `${tb.length} rows from trailbook, ${duck.length} from DuckDB`;
  }
  const i = tb.findIndex((row, k) => row !== duck[k]);
  if (i >= 0) problem += `${problem ? '; ' : ''}row ${i + 1}: trailbook ${tb[i]} vs DuckDB ${duck[i]}`;
  if (problem) {
    console.log(`FAIL ${q.name}: ${problem}`);
    ++failures;
  } else {
    console.log(`ok   ${q.name} (${tb.length} rows)`);
  }
}
console.log(`${queries.length - failures} of ${queries.length} queries gave identical answers`);
process.exit(failures === 0 ? 0 : 1);

// bench/queries/compare.mjs QUERIES_DIR TRAILBOOK_OUT DUCKDB_OUT TRAILBOOK_TIMES DUCKDB_TIMES
// Checks that trailbook and DuckDB gave identical answers to each benchmark query and prints
// a Markdown table of median times and ratios. Rows are compared in order when the query has
// an ORDER BY (every benchmark ORDER BY is a total order), else as sorted multisets. Exits 1
// when any answer differs, printing the first differing rows.
import fs from 'node:fs';
import path from 'node:path';

const [queriesDir, tbOut, duckOut, tbTimesFile, duckTimesFile] = process.argv.slice(2);
const lines = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
const byQuery = (file) => Object.fromEntries(lines(file).map((l) => JSON.parse(l))
  .filter((o) => o.query).map((o) => [o.query, o]));
const tbTimes = byQuery(tbTimesFile);
const duckTimes = byQuery(duckTimesFile);

let failed = false;
console.log('| query | rows | trailbook median ms | DuckDB median ms | DuckDB / trailbook | answers |');
console.log('|---|---:|---:|---:|---:|---|');
for (const name of Object.keys(tbTimes).sort()) {
  const sql = fs.readFileSync(path.join(queriesDir, `${name}.sql`), 'utf8');
  // trailbook writes objects keyed by column name in column order; DuckDB arrays.
  const tb = lines(path.join(tbOut, `${name}.ndjson`)).map((l) => JSON.stringify(Object.values(JSON.parse(l))));
  const duck = lines(path.join(duckOut, `${name}.ndjson`));
  const ordered = /\border\s+by\b/i.test(sql);
  if (!ordered) {
    tb.sort();
    duck.sort();
  }
  let verdict = 'identical';
  if (tb.length !== duck.length) {
    verdict = `DIFFER: ${tb.length} vs ${duck.length} rows`;
  } else {
    const i = tb.findIndex((row, k) => row !== duck[k]);
    if (i >= 0) verdict = `DIFFER at row ${i + 1}: trailbook ${tb[i]} vs DuckDB ${duck[i]}`;
  }
  if (verdict !== 'identical') failed = true;
  const t = tbTimes[name].median_ms;
  const d = duckTimes[name] ? duckTimes[name].median_ms : NaN;
  console.log(`| ${name} | ${tb.length} | ${t.toFixed(2)} | ${d.toFixed(2)} | ${(d / t).toFixed(2)}x | ${verdict} |`);
}
process.exit(failed ? 1 : 0);

// Reads every table of a lessonl run folder with DuckDB, an independent
// Parquet reader, and prints row counts and a few values as JSON.
// Usage: node duckdb-read.mjs RUN_DIR [QUERIES_JSON]
// With QUERIES_JSON (an array of SQL texts), it also runs each and prints
// its row count, or its error.
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
const tables = ['cells', 'llm_calls', 'candidates', 'timings', 'lessons', 'selections', 'results', 'problems'];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const out = { counts: {} };
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
for (const t of tables) {
  const glob = `${dir}/tables/${t}/part-*.parquet`;
  const rows = await q(`SELECT count(*) AS n FROM read_parquet('${glob}')`).catch(() => [{ n: 0 }]);
  out.counts[t] = Number(rows[0].n);
}
if (out.counts.results > 0) {
  const r = await q(`SELECT sum(speedup) AS s, sum(llm_calls) AS calls FROM read_parquet('${dir}/tables/results/part-*.parquet')`);
  out.speedup_sum = Number(r[0].s);
  out.llm_calls_sum = Number(r[0].calls);
}
if (out.counts.llm_calls > 0) {
  const r = await q(`SELECT prompt FROM read_parquet('${dir}/tables/llm_calls/part-*.parquet') ORDER BY call_id, seed LIMIT 1`);
  out.first_prompt = r[0].prompt;
}
if (process.argv[3]) {
  out.queries = [];
  for (const sql of JSON.parse(process.argv[3])) {
    try {
      out.queries.push({ rows: (await q(sql)).length });
    } catch (e) {
      out.queries.push({ error: String(e.message || e) });
    }
  }
}
console.log(JSON.stringify(out));

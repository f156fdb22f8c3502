// The pgbench-style ceiling of one hot row: run as a process, it updates one row in autocommit
// as fast as it can for `ms` milliseconds and prints how many updates it made.
//   node bench/lib/hot-row.mjs <url> <ms>
import postgres from "postgres";

const [url, ms] = process.argv.slice(2);
const sql = postgres(url, { max: 1, onnotice: () => undefined });
await sql`SELECT 1`;
let count = 0;
const end = Date.now() + Number(ms);
while (Date.now() < end) {
  await sql`UPDATE public.tix_bench_hot SET n = n + 1 WHERE id = 1`;
  count++;
}
await sql.end();
process.stdout.write(`${count}\n`);

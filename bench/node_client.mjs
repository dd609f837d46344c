// bench/node_client.mjs: the client a user would otherwise write in
// Node.js: fetch (undici, keep-alive) sending the same requests as Lever's
// get and create to the same emulator, parsing the JSON.
//   node node_client.mjs BASE_URL [calls] [rounds]
const [base, callsArg, roundsArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 2000), rounds = Number(roundsArg ?? 5);
const auth = 'Basic ' + Buffer.from('sandbox-api-key:').toString('base64');
const headers = { authorization: auth, accept: 'application/json', 'content-type': 'application/json' };
const user = 'sandbox-user-0001';

async function post() {
  const r = await fetch(`${base}/opportunities?perform_as=${user}`, {
    method: 'POST', headers,
    body: JSON.stringify({ name: 'Ada Lovelace', headline: 'Analyst at Engines',
                           emails: ['ada@example.com'], tags: ['bench'] }) });
  return (await r.json()).data.id;
}

async function get(id) {
  for (const part of ['', '/resumes?limit=100', '/files?limit=100']) {
    const r = await fetch(`${base}/opportunities/${id}${part}`, { headers });
    await r.json();
  }
}

async function rate(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn();
  return calls / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const median = (v) => { v.sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
const id = await post();
await get(id);
const g = [], c = [];
for (let i = 0; i < rounds; i++) { g.push(await rate(() => get(id))); c.push(await rate(post)); }
console.log(`node ${process.version} fetch: get ${median(g).toFixed(0)} calls/s, create ${median(c).toFixed(0)} calls/s`);

// tests/clients/kombo.mjs: Kombo's official TypeScript SDK (@kombo-api/sdk,
// from the npm registry, pinned in package.json) pointed at uatsd by its
// server_url option. The SDK validates every answer against Kombo's schema,
// so a call that returns at all got an answer complete in Kombo's shape.
//
// Environment: UATSD_URL (http://127.0.0.1:PORT), UATSD_KEY (a gateway API
// key), UATSD_KOMBO_INTEGRATION (a connection token, sent as
// X-Integration-Id), UATSD_JOB_ID (a job of that connection's vendor).
// Creates a candidate with a resume, adds a cover letter, reads the
// candidate back, checks the errors of a wrong key and an unknown
// integration (and, when UATSD_KOMBO_LOST_INTEGRATION is set, that a lost
// vendor answer is not retried), and prints the candidate id on its last
// stdout line.
// Exits non-zero on any failure.
import { Kombo } from "@kombo-api/sdk";
import { KomboAtsError } from "@kombo-api/sdk/models/errors";

function fail(message) {
  console.error(`kombo.mjs: FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

function env(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set`);
  return value;
}

const url = env("UATSD_URL");
const key = env("UATSD_KEY");
const integration = env("UATSD_KOMBO_INTEGRATION");
const jobId = env("UATSD_JOB_ID");

// Retries stay off (the SDK's default, said out loud): a test that resent a
// create would hide a duplicate.
function client(apiKey, integrationId) {
  return new Kombo({
    api_key: apiKey,
    integration_id: integrationId,
    server_url: url,
    retry_config: { strategy: "none" },
    timeout_ms: 30000,
  });
}

const kombo = client(key, integration);
const stamp = `${Date.now()}${process.pid}`;
const email = `ada.${stamp}@example.com`;
const resume = Buffer.from(`%PDF-1.4\n% resume of Ada Lovelace ${stamp}\n`).toString("base64");

// 1. Create, with a resume as base64.
const created = await kombo.ats.createCandidate({
  candidate: {
    first_name: "Ada",
    last_name: "Lovelace",
    email_address: email,
    phone_number: "+44 20 7946 0000",
    company: "Analytical Engines Ltd",
    title: "Engineer",
    location: { city: "London", country: "GB" },
    social_links: [{ url: "https://www.linkedin.com/in/ada-lovelace" }],
  },
  application: { job_id: jobId },
  attachments: [
    { name: "Ada Lovelace CV.pdf", content_type: "application/pdf", data: resume, type: "CV" },
  ],
});
check(created.status === "success", `create: status ${created.status}`);
const cand = created.data;
check(typeof cand.id === "string" && cand.id.length > 0, "create: no candidate id");
check(cand.remote_id === cand.id, "create: remote_id differs from id");
check(cand.first_name === "Ada" && cand.last_name === "Lovelace", "create: names not echoed");
check(
  (cand.email_addresses ?? []).some((e) => e.email_address === email),
  `create: ${email} missing from email_addresses`,
);
check(cand.changed_at instanceof Date && !isNaN(cand.changed_at), "create: changed_at");
check(Array.isArray(cand.applications) && Array.isArray(cand.tags), "create: lists");
for (const app of cand.applications) {
  if (app.job) check(app.job.remote_id === jobId, `create: application job ${app.job.remote_id}`);
}
check(Array.isArray(created.warnings), "create: no warnings array");
for (const w of created.warnings) console.error(`kombo.mjs: create warning: ${w.message}`);

// 2. Add a second file to the candidate.
const added = await kombo.ats.addCandidateAttachment({
  candidate_id: cand.id,
  body: {
    attachment: {
      name: "Cover letter.txt",
      content_type: "text/plain",
      data: Buffer.from("Dear hiring team,\n").toString("base64"),
      type: "COVER_LETTER",
    },
  },
});
check(added.status === "success", `attachment: status ${added.status}`);
check(Array.isArray(added.warnings), "attachment: no warnings array");
for (const w of added.warnings) console.error(`kombo.mjs: attachment warning: ${w.message}`);

// 3. Read it back by id.
const page = await kombo.ats.getCandidates({ ids: [cand.id] });
const results = page.result.data.results;
check(results.length === 1, `read: ${results.length} results for one id`);
check(results[0].id === cand.id && results[0].first_name === "Ada", "read: another candidate");
check(page.result.data.next === null, "read: a next cursor");

// 4. Errors come in Kombo's shape (the SDK parses them as KomboAtsError).
async function expectError(what, promise, status, code) {
  try {
    await promise;
  } catch (e) {
    check(e instanceof KomboAtsError, `${what}: ${e?.name}: ${e?.message}`);
    check(e.statusCode === status, `${what}: HTTP ${e.statusCode}, wanted ${status}`);
    check(e.error?.code === code, `${what}: code ${e.error?.code}, wanted ${code}`);
    check(!e.body$?.includes(key) && !e.body$?.includes(integration), `${what}: secret echoed`);
    return;
  }
  fail(`${what}: succeeded`);
}
const payload = {
  candidate: { first_name: "No", last_name: "Body", email_address: `no.${stamp}@example.com` },
  application: { job_id: jobId },
};
await expectError(
  "wrong key",
  client(`${key}x`, integration).ats.createCandidate(payload),
  401,
  "PLATFORM.AUTHENTICATION_INVALID",
);
await expectError(
  "unknown integration",
  client(key, `${integration}-unknown`).ats.createCandidate(payload),
  401,
  "PLATFORM.INTEGRATION_NOT_FOUND",
);

// 5. A lost vendor answer (optional: UATSD_KOMBO_LOST_INTEGRATION names a
// connection whose vendor answers every write with HTTP 500). Even with the
// SDK's retries on, the create is not resent: uatsd answers with a status the
// SDK does not retry. The caller counts the POSTs that reached the vendor.
const lost = process.env.UATSD_KOMBO_LOST_INTEGRATION;
if (lost) {
  const retrying = new Kombo({
    api_key: key,
    integration_id: lost,
    server_url: url,
    retry_config: {
      strategy: "backoff",
      backoff: { initialInterval: 50, maxInterval: 200, exponent: 1.5, maxElapsedTime: 2000 },
      retryConnectionErrors: true,
    },
    timeout_ms: 30000,
  });
  await expectError("lost answer", retrying.ats.createCandidate(payload), 409,
                    "REMOTE.UNKNOWN_HTTP_ERROR");
}

console.error("kombo.mjs: create, attachment, read back and errors: OK");
console.log(cand.id);

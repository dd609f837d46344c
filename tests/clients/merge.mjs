// tests/clients/merge.mjs: Merge's official Node client (@mergeapi/merge-node-client,
// written by Merge, not by us) pointed at uatsd by base URL.
//
// Environment:
//   UATSD_URL            the gateway's root, e.g. http://127.0.0.1:8080 (the client
//                        gets ${UATSD_URL}/api, as Merge's production URL ends in /api)
//   UATSD_KEY            a gateway API key (sent as Authorization: Bearer)
//   UATSD_MERGE_ACCOUNT  a connection token (sent as X-Account-Token)
//   CANDIDATE_ID         optional: a candidate created elsewhere (the Kombo SDK test)
//                        to read back; EXPECT_FIRST_NAME, EXPECT_LAST_NAME, EXPECT_EMAIL
//                        and EXPECT_ATTACHMENTS (a count) say what it must hold
//   MERGE_REMOTE_USER    optional: remote_user_id for the writes [sandbox-user-0001]
//
// It reads CANDIDATE_ID back, creates a candidate with a resume through Merge's
// POST, reads that back, adds a file through Merge's attachment POST, and checks
// a 404. Every 2xx answer is also checked against the client's own schemas with
// unknown keys refused (the client itself only warns). Exit 1 on any failure.
import assert from "node:assert/strict";
import { MergeClient, MergeError, serialization } from "@mergeapi/merge-node-client";

function need(name) {
    const v = process.env[name];
    if (!v) {
        console.error(`merge.mjs: ${name} is not set`);
        process.exit(2);
    }
    return v;
}

const root = need("UATSD_URL").replace(/\/+$/, "");
const remoteUserId = process.env.MERGE_REMOTE_USER || "sandbox-user-0001";

// The client validates answers with skipValidation and only console.warn()s
// what does not fit; a warning here is a failure.
const clientWarnings = [];
console.warn = (...args) => clientWarnings.push(args.join(" "));

// Every answer body, to check against the schemas strictly.
const answers = [];
async function recordingFetch(url, init) {
    const res = await fetch(url, init);
    const text = await res.clone().text();
    answers.push({ method: init?.method ?? "GET", url: String(url), status: res.status, text });
    return res;
}

const merge = new MergeClient({
    apiKey: need("UATSD_KEY"),
    accountToken: need("UATSD_MERGE_ACCOUNT"),
    baseUrl: `${root}/api`,
    fetch: recordingFetch,
});

// A 2xx body against the client's schema, unknown keys refused.
function strictlyValid(schema, answer, what) {
    const parsed = schema.parse(JSON.parse(answer.text), {
        unrecognizedObjectKeys: "fail",
        allowUnrecognizedUnionMembers: false,
        allowUnrecognizedEnumValues: false,
        breadcrumbsPrefix: [what],
    });
    if (!parsed.ok)
        assert.fail(`${what}: ${parsed.errors.map((e) => `${e.path.join(".")}: ${e.message}`).join("; ")}`);
}

function lastAnswer() {
    return answers[answers.length - 1];
}

async function readCandidate(id, what) {
    const cand = await merge.ats.candidates.retrieve(id, { includeRemoteData: true });
    strictlyValid(serialization.ats.Candidate, lastAnswer(), what);
    assert.equal(cand.id, id, `${what}: id`);
    assert.ok(cand.modifiedAt instanceof Date, `${what}: modified_at is a time`);
    assert.ok(Array.isArray(cand.remoteData) && cand.remoteData.length === 1,
              `${what}: remote_data asked for, one entry`);
    return cand;
}

function emails(cand) {
    return (cand.emailAddresses ?? []).map((e) => e.value);
}

// 1. The candidate created elsewhere, read back.
async function checkGiven() {
    const id = process.env.CANDIDATE_ID;
    if (!id)
        return;
    const cand = await readCandidate(id, "CANDIDATE_ID");
    const first = process.env.EXPECT_FIRST_NAME, last = process.env.EXPECT_LAST_NAME;
    const email = process.env.EXPECT_EMAIL, files = process.env.EXPECT_ATTACHMENTS;
    if (first) assert.equal(cand.firstName, first, "CANDIDATE_ID: first_name");
    else assert.ok(cand.firstName, "CANDIDATE_ID: first_name");
    if (last) assert.equal(cand.lastName, last, "CANDIDATE_ID: last_name");
    if (email) assert.ok(emails(cand).includes(email), `CANDIDATE_ID: email ${email}`);
    else assert.ok(emails(cand).length > 0, "CANDIDATE_ID: an email");
    const want = files ? Number(files) : 1;
    assert.ok((cand.attachments ?? []).length >= want, `CANDIDATE_ID: ${want}+ attachments`);
    console.log(`ok - read ${id} back: ${cand.firstName} ${cand.lastName ?? ""}, ` +
                `${emails(cand).join(", ")}, ${cand.attachments.length} attachment(s)`);
}

const resume = Buffer.from("%PDF-1.4\n% uats merge client test\n").toString("base64");
const stamp = `${process.pid}-${Date.now()}`;
const newEmail = `grace.${stamp}@example.com`;

// 2. Merge's POST /ats/v1/candidates, then read back.
async function checkCreate() {
    const res = await merge.ats.candidates.create({
        model: {
            firstName: "Grace",
            lastName: "Hopper",
            emailAddresses: [{ value: newEmail, emailAddressType: "WORK" }],
            phoneNumbers: [{ value: "+1 555 0100", phoneNumberType: "MOBILE" }],
            urls: [{ value: "https://github.com/grace", urlType: "SOCIAL_MEDIA" }],
            tags: ["merge-client"],
            attachments: [{ fileName: "grace.pdf", fileUrl: `data:application/pdf;base64,${resume}`,
                            attachmentType: "RESUME" }],
        },
        remoteUserId,
    });
    strictlyValid(serialization.ats.CandidateResponse, lastAnswer(), "create");
    assert.equal(lastAnswer().status, 201, "create: 201");
    assert.ok(res.model.id, "create: an id");
    assert.equal(res.model.firstName, "Grace");
    assert.equal(res.model.lastName, "Hopper");
    assert.deepEqual(emails(res.model), [newEmail]);
    assert.deepEqual(res.errors, [], "create: no errors");
    assert.ok(Array.isArray(res.warnings), "create: warnings listed");
    for (const w of res.warnings)
        assert.ok(w.problemType && w.title && w.detail, "create: warnings in Merge's shape");
    assert.equal((res.model.attachments ?? []).length, 1, "create: the resume's id");

    const cand = await readCandidate(res.model.id, "created");
    assert.equal(cand.firstName, "Grace");
    assert.equal(cand.lastName, "Hopper");
    assert.deepEqual(emails(cand), [newEmail]);
    assert.deepEqual(cand.attachments, res.model.attachments, "created: attachments");
    console.log(`ok - created ${res.model.id} through Merge's POST (${res.warnings.length} warning(s))`);
    return res.model.id;
}

// 3. Merge's POST /ats/v1/attachments, then the candidate lists it.
async function checkAttachment(candidateId) {
    const text = Buffer.from("Dear team, ...\n").toString("base64");
    const res = await merge.ats.attachments.create({
        model: { candidate: candidateId, fileName: "cover.txt",
                 fileUrl: `data:text/plain;base64,${text}`, attachmentType: "COVER_LETTER" },
        remoteUserId,
    });
    strictlyValid(serialization.ats.AttachmentResponse, lastAnswer(), "attachment");
    assert.ok(res.model.id, "attachment: an id");
    assert.equal(res.model.candidate, candidateId, "attachment: its candidate");
    assert.equal(res.model.fileName, "cover.txt");
    assert.deepEqual(res.errors, []);
    const cand = await readCandidate(candidateId, "after attachment");
    assert.ok(cand.attachments.includes(res.model.id), "the candidate lists the new file");
    assert.equal(cand.attachments.length, 2);
    console.log(`ok - added attachment ${res.model.id} through Merge's POST`);
}

// 4. An unknown candidate: MergeError 404 with a body in Merge's shape.
async function checkNotFound() {
    await assert.rejects(merge.ats.candidates.retrieve("no-such-candidate"), (e) => {
        assert.ok(e instanceof MergeError, `a MergeError, not ${e}`);
        assert.equal(e.statusCode, 404);
        assert.equal(typeof e.body?.detail, "string", "404: detail");
        assert.equal(e.body?.errors?.[0]?.problem_type, "PROVIDER_ERROR");
        return true;
    });
    console.log("ok - unknown candidate: MergeError 404");
}

try {
    await checkGiven();
    const id = await checkCreate();
    await checkAttachment(id);
    await checkNotFound();
    assert.deepEqual(clientWarnings, [], "the client warned about an answer");
    console.log(`merge.mjs: all passed (${answers.length} requests)`);
} catch (e) {
    console.error(`merge.mjs: FAIL: ${e.message}`);
    if (clientWarnings.length)
        console.error(clientWarnings.join("\n"));
    process.exit(1);
}
